"""A list's cells are Qt's own items, made once when a page lands (issue 24): a view asks every visible cell for
a dozen roles at each paint and column fit, and with `data()` in Python each ask had to win the interpreter back
from the background reads. A first paint of the account list (thousands of asks) froze the window 0.2–0.6 s
while a worker ran Python."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from kamdesk.domain.contacts import ContactListItem, ContactQuery
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.models import AccountListItem, AccountQuery
from kamdesk.ui.models.accounts_model import AccountsModel
from kamdesk.ui.models.contacts_model import ContactsModel
from kamdesk.ui.models.paged_model import ID_ROLE

ROW = ContactListItem(
    7, "王建国", "中国移动", AccountClass.A, "采购总监", "top", "decision_maker", "acquainted", "good_friend", 2,
    "苏州", "无锡", dt.date(2026, 11, 2),
)  # fmt: skip


class Contacts:
    """A contact service with `count` people, all like ROW but for their ids and names."""

    def __init__(self, count: int = 1) -> None:
        self.rows = [ROW] + [replace(ROW, id=100 + n, name=f"联系人{n} <b>&amp;</b> 😀") for n in range(count - 1)]

    def first_page(self, query: ContactQuery, limit: int) -> tuple[list[ContactListItem], int]:
        return self.rows[:limit], len(self.rows)

    def page(self, query: ContactQuery, offset: int, limit: int, total: int) -> list[ContactListItem]:
        return self.rows[offset : offset + limit]


@contextmanager
def python_calls_into(folder: str) -> Iterator[list[str]]:
    """The names of the Python functions under `folder` that the GUI thread runs meanwhile."""
    called: list[str] = []

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and folder in frame.f_code.co_filename.replace("\\", "/"):
            called.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(None)


def test_the_cells_say_what_the_list_shows(qtbot, qtmodeltester):
    model = ContactsModel(Contacts())  # type: ignore[arg-type]
    gap = model.index(0, 7)
    assert model.data(model.index(0, 0)) == "王建国" and model.data(gap) == "2 to go"
    assert model.data(model.index(0, 1)) == "中国移动 (A)"
    assert model.data(gap, Qt.ItemDataRole.ForegroundRole) is not None  # below target: coloured
    assert model.data(gap, Qt.ItemDataRole.ToolTipRole).startswith("Stages to go")
    assert model.data(model.index(0, 3), ID_ROLE) == 7  # every cell of a row names its record
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) is None  # the fitter's own tooltip then
    assert not model.flags(gap) & Qt.ItemFlag.ItemIsEditable
    assert model.headerData(7, Qt.Orientation.Horizontal) == "Gap"
    assert model.row(0) == ROW and model.row(1) is None
    qtmodeltester.check(model)


def test_painting_and_fitting_a_list_never_calls_into_its_model(qtbot):
    model = ContactsModel(Contacts(60))  # type: ignore[arg-type]
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1400, 900)
    view.show()
    with python_calls_into("kamdesk/ui/models/") as called:
        view.grab()  # a whole paint: every visible cell, each asked for its roles
        view.resizeColumnsToContents()
    assert called == []
    assert view.rowAt(view.viewport().height() - 2) > 20  # the paint did cover many rows


def test_later_pages_land_as_cells_too(qtbot):
    contacts = Contacts(150)
    model = ContactsModel(contacts)  # type: ignore[arg-type]
    assert model.rowCount() == model.first_page_size == 60 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 150 and not model.canFetchMore()
    last = model.index(149, 0)
    assert model.data(last) == contacts.rows[149].name and model.data(last, ID_ROLE) == contacts.rows[149].id


class OneAccount:
    def __init__(self, pinned: AccountClass | None) -> None:
        self.item = AccountListItem(
            id=3, name="华为技术", computed_class=AccountClass.B, pinned_class=pinned, value_cents=123_456_00,
            sales_stage="", relationship_type="", cycle_stage="", personality_type="", owner_name="李明",
            city="深圳", last_contact_on=None,
        )  # fmt: skip

    def first_page(self, query: AccountQuery, limit: int) -> tuple[list[AccountListItem], int]:
        return [self.item], 1

    def page(self, query: AccountQuery, offset: int, limit: int) -> list[AccountListItem]:
        return []


def test_a_class_pinned_by_hand_reads_differently_from_a_computed_one(qtbot):
    pinned = AccountsModel(OneAccount(AccountClass.A))  # type: ignore[arg-type]
    computed = AccountsModel(OneAccount(None))  # type: ignore[arg-type]
    cls = pinned.index(0, 1)
    assert pinned.data(cls) == "A (pinned; computed B)"
    assert pinned.data(cls, Qt.ItemDataRole.FontRole).italic()
    assert "Pinned by hand" in pinned.data(cls, Qt.ItemDataRole.ToolTipRole)
    assert computed.data(computed.index(0, 1)) == "B"
    assert computed.data(computed.index(0, 1), Qt.ItemDataRole.FontRole) is None
    value = computed.index(0, 2)
    assert computed.data(value, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
