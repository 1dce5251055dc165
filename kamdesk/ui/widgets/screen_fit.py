"""Windows open at the size they ask for, but never larger than the screen they open on (a 1366×768 laptop
has about 728 pixels of height once the taskbar is counted)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: What is left of the available area for the window frame and title bar.
FRAME_MARGIN = QSize(16, 40)


def fitted(wanted: QSize, available: QRect) -> QSize:
    """`wanted`, shrunk to fit inside `available` with room for the window's frame."""
    return QSize(
        min(wanted.width(), available.width() - FRAME_MARGIN.width()),
        min(wanted.height(), available.height() - FRAME_MARGIN.height()),
    )


def available_area(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def resize_to_fit(widget: QWidget, width: int, height: int, available: QRect | None = None) -> None:
    """Resize `widget` to width × height, or less where the screen is smaller."""
    widget.resize(fitted(QSize(width, height), available or available_area(widget)))
