"""Benchmark: peak memory of File → Import… driven through its steps on a 50 MB workbook (issue 23).

The window's import dialog is driven offscreen in a fresh subprocess, as a person uses it: contacts, the
file, Next (the mapping step: headers, first row, row count), Next (the preview of every row with its status),
a scroll to the end of the preview and back, then Import (skip the rows with problems) into a new team file.
After each step the subprocess prints the wall time and the peak resident memory so far (ru_maxrss).
The issue asks for the whole path under 500 MB. Figures only: nothing here passes or fails.

Usage: python tests/bench/bench_import_dialog.py [MEGABYTES] [--file WORKBOOK] [--keep DIR] [--code DIR]
  --file   an existing workbook (for instance one kept by bench_xlsx_memory.py --keep)
  --code   a folder holding another copy of the kamdesk package (say, `git archive` of an older commit), to
           measure the dialog as it was
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DRIVER = """
import os, resource, sys, tempfile, time
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
from kamdesk.services.workspace import open_workspace
from kamdesk.ui import prompts
from kamdesk.ui.dialogs.import_dialog import ImportDialog

class Quiet(prompts.Prompts):
    def __init__(self):
        self.shown = []
    def inform(self, parent, title, text):
        self.shown.append(text)
    def warn(self, parent, title, text):
        self.shown.append(text)

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024) / 1e6

started = time.perf_counter()
def step(name, detail=""):
    QApplication.processEvents()
    print(f"{name:<10} {time.perf_counter() - started:7.1f} s  peak {peak():6.0f} MB  {detail}", flush=True)

app = QApplication([])
said = Quiet()
prompts.set_prompts(said)
with tempfile.TemporaryDirectory() as folder:
    ws = open_workspace(Path(folder) / "team.kamdb", "Bench", create=True)
    dialog = ImportDialog(ws.transfer)
    dialog.show()
    step("start")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("contacts"))
    dialog.path_edit.setText(sys.argv[1])
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 1, dialog.error.text()
    step("mapping", dialog.mapping_intro.text()[:70])
    dialog.next_button.click()
    assert dialog.pages.currentIndex() == 2, dialog.error.text()
    model = dialog.preview_view.model()
    step("preview", f"{model.rowCount()} rows in the preview; " + dialog.summary.text().split(chr(10))[0])
    dialog.preview_view.scrollToBottom()
    QApplication.processEvents()
    last = model.index(model.rowCount() - 1, 1).data()
    dialog.preview_view.scrollToTop()
    cached = getattr(model, "cache", None)
    step("scrolled", f"last row's status: {last}; rows the model holds: {'all' if cached is None else len(cached)}")
    result = dialog.run_import()
    assert result is not None, said.shown
    step("import", f"imported {result.imported} of {result.read}, skipped {len(result.skipped)}")
    dialog.close()
    ws.close()
"""


def main() -> None:
    args = sys.argv[1:]

    def option(name: str) -> str | None:
        return args[args.index(name) + 1] if name in args else None

    given, keep, code = option("--file"), option("--keep"), option("--code")
    numbers = [a for a in args if a.replace(".", "", 1).isdigit()]
    megabytes = float(numbers[0]) if numbers else 50
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if code:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (code, env.get("PYTHONPATH", "")) if p)
    with tempfile.TemporaryDirectory() as folder:
        if given:
            path = Path(given)
        else:
            sys.path.insert(0, str(Path(__file__).parent))
            from bench_xlsx_memory import make_workbook

            path = Path(keep or folder) / f"contacts-{megabytes:g}mb.xlsx"
            if not path.exists():
                started = time.perf_counter()
                rows = make_workbook(path, megabytes)
                print(f"wrote {rows} rows in {time.perf_counter() - started:.0f} s")
        print(f"workbook: {path.stat().st_size / 1e6:.1f} MB ({path.name}); code: {code or 'this checkout'}")
        subprocess.run([sys.executable, "-c", DRIVER, str(path)], check=False, env=env)


if __name__ == "__main__":
    main()
