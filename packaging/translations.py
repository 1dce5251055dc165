"""Extract translatable text from kamdesk's source and keep the .po catalogues in step.

Run `python packaging/translations.py` after changing user-visible text: new strings are added
untranslated (the translation test then fails until they are translated) and stale ones dropped.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "kamdesk"
CATALOGS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN", "zh_TW")
MARKERS = {"_", "N_"}


def extract_messages(source: Path = SOURCE) -> dict[str, list[str]]:
    """Every literal passed to _() or N_() in the package → the places it occurs."""
    found: dict[str, list[str]] = {}
    for path in sorted(source.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
                found.setdefault(node.args[0].value, []).append(where)
    return found


def read_catalog(language: str):  # -> babel Catalog
    from babel.messages.pofile import read_po

    path = CATALOGS / f"{language}.po"
    if not path.exists():
        from babel.messages.catalog import Catalog

        return Catalog(locale=language, project="kamdesk")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update_catalogs() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    messages = extract_messages()
    CATALOGS.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        old = read_catalog(language)
        new = Catalog(locale=language, project="kamdesk", charset="utf-8")
        for msgid, places in sorted(messages.items()):
            previous = old.get(msgid)
            new.add(
                msgid,
                previous.string if previous else "",
                locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places[:3]],
            )
        with (CATALOGS / f"{language}.po").open("wb") as handle:
            write_po(handle, new, width=100, omit_header=False, sort_output=True)
        untranslated = sum(1 for m in new if m.id and not m.string)
        print(f"{language}: {len(messages)} messages, {untranslated} untranslated")


if __name__ == "__main__":
    update_catalogs()
    sys.exit(0)
