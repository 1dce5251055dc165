"""What the Gifts & Visits pages and dialogs share: the tables they write, small widget makers, and saving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kamdesk.domain.gifts import NOT_ACCEPTED, REGISTER_STATUSES, GiftError
from kamdesk.domain.models import TeamMember
from kamdesk.i18n import N_, _
from kamdesk.services.workspace import ConflictError, StorageError, Workspace
from kamdesk.ui import formatting, prompts
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.field_error import ERROR_STYLE
from kamdesk.ui.widgets.warm_items import table_item

#: What recording, planning and scheduling here write (visits and greetings go on the agenda).
WRITES = frozenset({"gifts", "gift_catalogue", "visits", "activities", "settings"})
WARN = QColor("#b00020")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def money_spin(maximum: float = 10_000_000) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, maximum)
    spin.setDecimals(2)
    spin.setGroupSeparatorShown(True)
    return spin


def cents(spin: QDoubleSpinBox) -> int:
    return round(spin.value() * 100)


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def picked_date(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day


def date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def status_label(status: str) -> str:
    return _(dict(REGISTER_STATUSES).get(status, N_("Done")))


def status_combo(first: str, outcomes: bool = False) -> QComboBox:
    """Done or planned, `first` ("done" or "planned") on top; with `outcomes`, declined and returned too
    (for a register entry: a gift that was not accepted)."""
    combo = QComboBox()
    for status in sorted(("done", "planned"), key=lambda s: s != first):
        combo.addItem(status_label(status), status)
    if outcomes:
        for status in NOT_ACCEPTED:
            combo.addItem(status_label(status), status)
    return combo


def member_combo(
    workspace: Workspace, combo: QComboBox | None = None, members: list[TeamMember] | None = None
) -> QComboBox:
    """The team's active members (`members` when already read), added to `combo` (a new one if None)."""
    combo = combo if combo is not None else QComboBox()
    for m in workspace.team.members() if members is None else members:
        if m.active:
            combo.addItem(m.name, m.id)
    return combo


def item(text: str, data: object = None, editable: bool = False, number: bool = False) -> QTableWidgetItem:
    cell = table_item(text)
    if number:  # money and counts line up on the right
        cell.setTextAlignment(formatting.NUMBER_ALIGN)
    if not editable:
        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        cell.setData(ID_ROLE, data)
    return cell


def check_item(checked: bool) -> QTableWidgetItem:
    cell = table_item()
    cell.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
    cell.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return cell


def table(headers: list[str], stretch: int) -> QTableWidget:
    view = QTableWidget(0, len(headers))
    view.setHorizontalHeaderLabels(headers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def enum_label(kind: type, value: str) -> str:
    try:
        return str(kind(value).label)
    except ValueError:
        return value


def save(parent: QWidget, error: QLabel, work: Callable[[], object], not_saved: str) -> bool:
    """Run a quick save: a refused value or a colleague's newer save is said in `error`, a file that
    cannot be written in a message titled `not_saved`. Whether it went through. A second press while a save
    of `parent` is on its way is ignored (not saved twice)."""
    if id(parent) in _saving:
        return False
    _saving.add(id(parent))
    try:
        Op(parent, work, not_saved).wait()  # off the GUI thread: a busy file shows a busy window
    except (GiftError, ConflictError) as exc:
        error.setText(str(exc))
        return False
    except StorageError as exc:
        prompts.current().warn(parent, not_saved, str(exc))
        return False
    finally:
        _saving.discard(id(parent))
    error.clear()
    return True


#: The widgets whose save is on its way (by id).
_saving: set[int] = set()
