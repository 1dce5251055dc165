"""The Qt binding in use must not leak references to None (PySide6 6.12.0 does, fatally on Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF


def test_calls_returning_nothing_keep_none_alive():
    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(2_000):
        rect.setWidth(1.0)  # returns None to Python: the binding must not drop a reference to it
    # On Python 3.12+ None is immortal and the count does not move at all; on 3.11 it must not fall.
    assert sys.getrefcount(None) >= before - 50
