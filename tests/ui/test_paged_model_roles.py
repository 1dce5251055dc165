"""A list model answers only the roles it shows (issue 24): a view asks every cell for a dozen roles at each
paint and column fit, and the contact list's 60 rows of 11 columns were 5,000 calls into Python a keystroke."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from kamdesk.domain.contacts import ContactListItem, ContactQuery
from kamdesk.domain.enums import AccountClass
from kamdesk.ui.models.contacts_model import ContactsModel
from kamdesk.ui.models.paged_model import ID_ROLE

ROW = ContactListItem(
    7, "王建国", "中国移动", AccountClass.A, "采购总监", "top", "decision_maker", "acquainted", "good_friend", 2,
    "苏州", "无锡", dt.date(2026, 11, 2),
)  # fmt: skip


class OneContact:
    def first_page(self, query: ContactQuery, limit: int) -> tuple[list[ContactListItem], int]:
        return [ROW], 1

    def page(self, query: ContactQuery, offset: int, limit: int, total: int) -> list[ContactListItem]:
        return []


def test_roles_the_list_does_not_show_never_reach_the_cells_and_those_it_shows_still_do(
    qtbot, qtmodeltester, monkeypatch
):
    model = ContactsModel(OneContact())  # type: ignore[arg-type]
    asked: list[int] = []
    real = model.cell
    monkeypatch.setattr(model, "cell", lambda item, key, role: asked.append(role) or real(item, key, role))
    gap = model.index(0, 7)
    for role in (Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.SizeHintRole, Qt.ItemDataRole.FontRole,
                 Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.CheckStateRole):  # fmt: skip
        assert model.data(gap, role) is None
    assert asked == []
    assert model.data(model.index(0, 0)) == "王建国" and model.data(gap) == "2 to go"
    assert model.data(gap, Qt.ItemDataRole.ForegroundRole) is not None  # below target: coloured
    assert model.data(gap, Qt.ItemDataRole.ToolTipRole).startswith("Stages to go")
    assert model.data(model.index(0, 3), ID_ROLE) == 7
    qtmodeltester.check(model)
