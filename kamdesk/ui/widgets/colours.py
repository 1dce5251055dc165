"""Colour helpers the charts and the org map share, so both suit light and dark palettes alike."""

from __future__ import annotations

from PySide6.QtGui import QColor


def mix(a: QColor, b: QColor, weight: float) -> QColor:
    """`a` blended towards `b` by `weight` (0 → a, 1 → b)."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * weight,
        a.greenF() + (b.greenF() - a.greenF()) * weight,
        a.blueF() + (b.blueF() - a.blueF()) * weight,
    )


def tinted(colour: QColor, alpha: int) -> QColor:
    """`colour` with the given alpha (0–255)."""
    tint = QColor(colour)
    tint.setAlpha(alpha)
    return tint
