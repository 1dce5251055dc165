"""The layer boundaries of architecture.md, checked on the source: who may import Qt, SQL, ReportLab."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kamdesk"
QT = ("PySide6", "shiboken6")

#: (what is imported, where it may be imported: package folders or single modules).
ALLOWED_ONLY_IN: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (QT, ("kamdesk.ui", "kamdesk.app")),
    (("sqlalchemy", "alembic"), ("kamdesk.storage",)),
    (("reportlab",), ("kamdesk.reports",)),
]

#: (a layer, what it must never import): ui → services → storage → domain, one direction only.
FORBIDDEN: list[tuple[str, tuple[str, ...]]] = [
    ("kamdesk.ui", ("kamdesk.storage",)),
    ("kamdesk.services", ("kamdesk.ui", "kamdesk.app")),
    ("kamdesk.storage", ("kamdesk.services", "kamdesk.ui", "kamdesk.app", "kamdesk.reports")),
    ("kamdesk.domain", ("kamdesk.storage", "kamdesk.services", "kamdesk.ui", "kamdesk.app", "kamdesk.reports")),
    ("kamdesk.reports", ("kamdesk.storage", "kamdesk.services", "kamdesk.ui", "kamdesk.app")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module `source` imports, anywhere in it (lazy imports too), with relative ones resolved.

    `from a import b` yields both a and a.b, since b may be a module (`from kamdesk import storage`).
    """
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id in ("__import__", "import_module"))
            )
        ):
            found.add(node.args[0].value)
    return found


def is_within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def kamdesk_modules() -> Iterator[tuple[str, set[str]]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        yield name, imported_modules(path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py")


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    found = dict(kamdesk_modules())
    assert {"kamdesk.storage.database", "kamdesk.domain.classification", "kamdesk.app"} <= found.keys()
    return found


@pytest.mark.parametrize(("libraries", "homes"), ALLOWED_ONLY_IN, ids=[lib[0] for lib, _ in ALLOWED_ONLY_IN])
def test_libraries_are_imported_only_in_their_layer(
    imports: dict[str, set[str]], libraries: tuple[str, ...], homes: tuple[str, ...]
):
    offenders = sorted(
        f"{module} imports {name}"
        for module, names in imports.items()
        if not is_within(module, homes)
        for name in names
        if is_within(name, libraries)
    )
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(("layer", "forbidden"), FORBIDDEN, ids=[layer for layer, _ in FORBIDDEN])
def test_layers_import_in_one_direction(imports: dict[str, set[str]], layer: str, forbidden: tuple[str, ...]):
    offenders = sorted(
        f"{module} imports {name}"
        for module, names in imports.items()
        if is_within(module, (layer,))
        for name in names
        if is_within(name, forbidden)
    )
    assert not offenders, "\n".join(offenders)


def test_the_layers_in_use_are_really_checked(imports: dict[str, set[str]]):
    # Guards against a scanner that finds nothing: known imports of today's code are seen.
    assert "PySide6.QtWidgets" in imports["kamdesk.app"]
    assert any(is_within(n, ("sqlalchemy",)) for n in imports["kamdesk.storage.database"])
    assert "kamdesk.storage.opening" in imports["kamdesk.services.workspace"]


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("import PySide6.QtCore", "kamdesk.domain.x", "PySide6.QtCore"),
        ("from PySide6 import QtCore", "kamdesk.domain.x", "PySide6"),
        ("def later():\n    import sqlalchemy as sa\n", "kamdesk.ui.x", "sqlalchemy"),
        ("from ..storage import database", "kamdesk.ui.x", "kamdesk.storage.database"),
        ("from . import tables", "kamdesk.storage.x", "kamdesk.storage.tables"),
        ("from kamdesk import storage", "kamdesk.ui.x", "kamdesk.storage"),
        ("import importlib\nimportlib.import_module('reportlab.platypus')", "kamdesk.ui.x", "reportlab.platypus"),
    ],
)
def test_the_scanner_sees_every_form_of_import(source: str, module: str, expected: str):
    assert expected in imported_modules(source, module)


def test_relative_imports_in_a_package_init_resolve_from_the_package():
    assert "kamdesk.storage.tables" in imported_modules("from .tables import Base", "kamdesk.storage", is_package=True)


# The core really runs without Qt -------------------------------------------------------------------
CORE_PACKAGES = ("kamdesk.domain", "kamdesk.services", "kamdesk.storage", "kamdesk.reports")
# Run by Alembic only: env.py needs a migration context, versions/ are scripts, not modules.
NOT_IMPORTABLE = ("kamdesk.storage.migrations",)

PROBE = """
import importlib, json, pkgutil, sys
names = []
for package_name in {packages!r}:
    package = importlib.import_module(package_name)
    names.append(package_name)
    for info in pkgutil.walk_packages(package.__path__, package_name + "."):
        if not any(info.name == p or info.name.startswith(p + ".") for p in {skip!r}):
            importlib.import_module(info.name)
            names.append(info.name)
for extra in {extra!r}:
    try:
        importlib.import_module(extra)
    except ModuleNotFoundError as exc:
        if exc.name != extra:
            raise
    else:
        names.append(extra)
print(json.dumps({{"imported": names, "qt": sorted(m for m in sys.modules if m.split(".")[0] in {qt!r})}}))
"""


def test_the_core_imports_without_loading_qt():
    code = PROBE.format(
        packages=CORE_PACKAGES, skip=NOT_IMPORTABLE, extra=("kamdesk.cli", "kamdesk.i18n", "kamdesk.paths"), qt=QT
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert {
        "kamdesk.domain.classification",
        "kamdesk.storage.database",
        "kamdesk.services.workspace",
        "kamdesk.cli",
    } <= set(report["imported"])
    assert report["qt"] == [], f"Qt was loaded by the core: {report['qt']}"


def test_the_probe_would_notice_qt():
    # The same probe, importing a Qt module on purpose, must report it (so an empty list means something).
    pytest.importorskip("PySide6")
    code = PROBE.format(packages=(), skip=(), extra=("PySide6.QtCore",), qt=QT)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "PySide6.QtCore" in json.loads(result.stdout.strip().splitlines()[-1])["qt"]


#: A UI module past this many lines becomes a package (one module per page, dialogs/, models/).
UI_MODULE_LINES = 600


def test_no_ui_module_is_over_600_lines():
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > UI_MODULE_LINES
    }
    assert long == {}, f"split these into smaller modules: {long}"
