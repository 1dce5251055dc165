"""Editing rows of a plain QTableWidget in a form: add a row of texts, remove the selected ones, read them back."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem


def add_text_row(table: QTableWidget, texts: list[str]) -> int:
    """Append a row holding `texts`; returns its index."""
    row = table.rowCount()
    table.insertRow(row)
    for column, text in enumerate(texts):
        table.setItem(row, column, QTableWidgetItem(text))
    return row


def remove_selected_rows(table: QTableWidget) -> None:
    """Remove the selected rows (or the current one when nothing is selected)."""
    rows = sorted({index.row() for index in table.selectedIndexes()} or {table.currentRow()}, reverse=True)
    for row in rows:
        if row >= 0:
            table.removeRow(row)


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def row_texts(table: QTableWidget, row: int) -> list[str]:
    return [cell_text(table, row, column) for column in range(table.columnCount())]
