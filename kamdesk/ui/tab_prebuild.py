"""Tabs built ahead of time while the window is idle, so that a tab's first showing only shows it.

A tab is built the first time it is shown: its widgets made in Python, then painted. With background reads
running Python beside it, every Qt call the building makes waits its turn for the interpreter, and a first
showing stalled the window 100-170 ms on an office share (issue 24), where a tab built beforehand showed in
30-40 ms. So once the window has been idle a moment (nothing being read, no dialog open, no mouse button
down; a backup may run), the next tab nobody has opened yet is built, one per idle moment. Its reads are held (`tasks.holding`)
until it is first used: a tab built ahead costs the file nothing until someone opens it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from kamdesk.ui import tasks
from kamdesk.ui.tabs.registry import TABS

if TYPE_CHECKING:
    from kamdesk.ui.main_window import MainWindow

#: How often the window is looked at (ms), and how many looks in a row it must be idle before a tab is built.
LOOK_EVERY_MS = 250
IDLE_LOOKS = 3


class TabPrebuilder(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._idle_looks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(LOOK_EVERY_MS)
        self.timer.timeout.connect(self.look)

    def start(self) -> None:
        self._idle_looks = 0
        self.timer.start()

    def idle(self) -> bool:
        return (
            self.window.workspace is not None
            and tasks.reading() == 0
            and QApplication.activeModalWidget() is None
            and QApplication.activePopupWidget() is None
            and QApplication.mouseButtons() == Qt.MouseButton.NoButton
        )

    def look(self) -> None:
        if not self.idle():
            self._idle_looks = 0
            return
        self._idle_looks += 1
        if self._idle_looks < IDLE_LOOKS:
            return
        self._idle_looks = 0
        name = next((entry.name for entry in TABS if not self.window.is_built(entry.name)), None)
        if name is None:
            self.timer.stop()
            return
        self.window.build_ahead(name)
