"""Release gate: every shipped catalogue parses and translates every string in the source.

kamdesk reads resources/translations/*.po at run time (kamdesk.i18n), so there is nothing to
compile; this checks what will ship. Exit 1 when a language misses strings.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translations import LANGUAGES, extract_messages  # noqa: E402 - sibling script, not a package

from kamdesk.i18n import load_catalog  # noqa: E402


def main() -> int:
    wanted = set(extract_messages())
    incomplete = False
    for language in LANGUAGES:
        catalog = load_catalog(language)
        missing = sorted(wanted - set(catalog))
        print(f"{language}: {len(wanted) - len(missing)} of {len(wanted)} strings translated")
        for text in missing[:20]:
            print(f"  missing: {text!r}")
        incomplete |= bool(missing)
    return 1 if incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
