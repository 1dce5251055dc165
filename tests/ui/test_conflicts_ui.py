"""Two people on one file, driven through the real editors: merges without asking, a conflict settled
with scripted choices, a deleted record restored, the "changed underneath" banner - and how it all looks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidgetItem

from kamdesk.domain.contacts import ContactDetail, FamilyMember
from kamdesk.domain.models import AccountDetail, AccountValue
from kamdesk.i18n import set_language
from kamdesk.services.changes import AuditFilter
from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.ui import change_notices
from kamdesk.ui.dialogs.account_dialog import AccountDialog
from kamdesk.ui.dialogs.conflict_dialog import ConflictDialog, ConflictRow, ConflictView
from kamdesk.ui.dialogs.contact_dialog import ContactDialog

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


@pytest.fixture
def bob(ws: Workspace, tmp_path: Path) -> Iterator[Workspace]:
    other = open_workspace(tmp_path / "team.kamdb", "bob")
    other.clock.fix(TODAY)
    yield other
    other.close()


@pytest.fixture
def account_id(ws: Workspace) -> int:
    return ws.accounts.save(
        AccountDetail(
            name="苏州恒远", city="苏州", industry="机械", values=[AccountValue("2026", 120_000_00, 18_000_00)]
        )
    )[0]


def _dialog(qtbot, ws: Workspace, account_id: int) -> AccountDialog:
    dialog = AccountDialog(ws.accounts, ws.team.members(), account_id)
    qtbot.addWidget(dialog)
    return dialog


def _bob_saves(bob: Workspace, account_id: int, **changes) -> None:
    theirs = bob.accounts.get(account_id)
    for key, value in changes.items():
        setattr(theirs, key, value)
    bob.accounts.save(theirs)


def test_edits_to_different_fields_merge_without_asking_and_say_so(qtbot, ws, bob, account_id, scripted):
    dialog = _dialog(qtbot, ws, account_id)
    _bob_saves(bob, account_id, city="无锡")
    dialog.notes_edit.setPlainText("新厂区明年投产")
    with qtbot.waitSignal(dialog.account_saved):
        assert dialog.save()
    assert not any(kind == "resolve_conflicts" for kind, *_rest in scripted.shown)
    final = bob.accounts.get(account_id)
    assert (final.city, final.notes) == ("无锡", "新厂区明年投产")
    assert scripted.notices == [dialog.merge_notice]
    assert "Notes" in dialog.merge_notice and "City" in dialog.merge_notice and "bob" in dialog.merge_notice


@pytest.mark.parametrize(
    ("answer", "city", "industry"),
    [
        ({"city": "mine", "industry": "theirs"}, "广州", "汽车零部件"),
        ({"*": "mine"}, "广州", "精密机械"),
        ({"*": "theirs"}, "无锡", "汽车零部件"),
    ],
)
def test_a_conflict_is_settled_per_field_with_the_scripted_choice(
    qtbot, ws, bob, account_id, scripted, answer, city, industry
):
    dialog = _dialog(qtbot, ws, account_id)
    _bob_saves(bob, account_id, city="无锡", industry="汽车零部件", province="江苏")
    dialog.city_edit.setText("广州")
    dialog.industry_edit.setText("精密机械")
    scripted.conflict_choices = [answer]
    assert dialog.save()
    view = scripted.conflict_views[-1]
    assert [(r.field, r.base, r.mine, r.theirs) for r in view.rows] == [
        ("industry", "机械", "精密机械", "汽车零部件"),
        ("city", "苏州", "广州", "无锡"),
    ]
    assert "bob" in view.theirs_header
    final = bob.accounts.get(account_id)
    assert (final.city, final.industry, final.province) == (city, industry, "江苏")
    logged = ws.audit.entries(AuditFilter(person="Test Person", table_name="accounts", row_id=str(account_id)))
    expected = {k: v for k, v in {"city": ["无锡", city], "industry": ["汽车零部件", industry]}.items() if v[0] != v[1]}
    edits = [e.changes for e in logged if e.action == "update" and {"city", "industry"} & set(e.changes)]
    assert edits == ([expected] if expected else [])


def test_an_account_deleted_meanwhile_can_be_restored_as_new(qtbot, ws, bob, account_id, scripted):
    dialog = _dialog(qtbot, ws, account_id)
    bob.accounts.delete(account_id, bob.accounts.get(account_id).version)
    dialog.check_underneath()  # asks the file off the GUI thread; the banner shows when the answer lands
    qtbot.waitUntil(lambda: dialog.banner.stamp is not None and dialog.banner.stamp.deleted)
    assert "Deleted by bob" in dialog.banner.label.text() and dialog.banner.reload_button.isHidden()
    dialog.notes_edit.setPlainText("still ours")
    scripted.choices = [0]  # Restore as new
    with qtbot.waitSignal(dialog.account_saved) as saved:
        assert dialog.save()
    restored = bob.accounts.get(saved.args[0])
    assert (restored.name, restored.notes) == ("苏州恒远", "still ours")
    assert restored.values == [AccountValue("2026", 120_000_00, 18_000_00)]


def test_an_account_deleted_meanwhile_can_be_discarded(qtbot, ws, bob, account_id, scripted):
    dialog = _dialog(qtbot, ws, account_id)
    dialog.show()
    bob.accounts.delete(account_id, bob.accounts.get(account_id).version)
    dialog.notes_edit.setPlainText("still ours")
    scripted.choices = [1]  # Discard my changes
    assert not dialog.save()
    assert not dialog.isVisible() and bob.accounts.get(account_id) is None


def test_the_banner_tells_of_changes_underneath_and_reload_keeps_edits_until_asked(
    qtbot, ws, bob, account_id, scripted
):
    dialog = _dialog(qtbot, ws, account_id)
    assert dialog.banner.isHidden()
    dialog.city_edit.setText("广州")
    _bob_saves(bob, account_id, notes="bob was here")
    change_notices.announce(bob.changes.poll(include_own=True) or [object()])  # what the window's poll passes on
    qtbot.waitUntil(lambda: not dialog.banner.isHidden())  # the check runs off the GUI thread
    assert "Changed by bob" in dialog.banner.label.text()
    scripted.yes_no = [False]
    dialog.banner.reload_button.click()
    assert dialog.city_edit.text() == "广州" and scripted.shown[-1][0] == "ask_yes_no"  # kept: the person said no
    scripted.yes_no = [True]
    dialog.banner.reload_button.click()
    assert dialog.city_edit.text() == "苏州" and dialog.notes_edit.toPlainText() == "bob was here"
    assert dialog.banner.isHidden()


def test_the_contact_card_merges_and_settles_conflicts_too(qtbot, ws, bob, account_id, scripted):
    contact_id = ws.contacts.save(
        ContactDetail(name="张伟", account_id=account_id, title="经理", family=[FamilyMember("张小明", "儿子")])
    )
    dialog = ContactDialog(ws.contacts, ws.team.members(), contact_id)
    qtbot.addWidget(dialog)
    theirs = bob.contacts.get(contact_id)
    theirs.title, theirs.hometown = "采购总监", "温州"
    bob.contacts.save(theirs)
    dialog.title_edit.setText("副总经理")
    dialog.family_table.setItem(0, 0, QTableWidgetItem("张小华"))
    scripted.conflict_choices = [{"title": "theirs"}]
    with qtbot.waitSignal(dialog.contact_saved):
        assert dialog.save()
    assert [r.field for r in scripted.conflict_views[-1].rows] == ["title"]
    final = bob.contacts.get(contact_id)
    assert (final.title, final.hometown, [f.name for f in final.family]) == ("采购总监", "温州", ["张小华"])


def test_the_conflict_dialog_in_chinese_shows_every_field_whole(qtbot, tmp_path: Path):
    set_language("zh_CN")
    try:
        view = ConflictView(
            "其他人修改了此客户",
            "王芳 于 2026-11-23 14:05 保存了此客户，而您正在编辑。其他字段的修改已与您的合并；"
            "请为下列字段选择保留哪个版本。",
            "对方版本\n（王芳 于 2026-11-23 14:05 修改）",
            (
                ConflictRow("city", "城市", "苏州", "广州", "无锡"),
                ConflictRow(
                    "notes", "备注", "（空）", "新厂区明年投产，需要提前安排设备验收和人员培训", "客户计划扩建二期厂房"
                ),
                ConflictRow(
                    "values",
                    "价值",
                    "2026：收入 1200000，利润 180000",
                    "2025：收入 900000，利润 100000\n2026：收入 1250000，利润 190000",
                    "2026：收入 1300000，利润 200000",
                ),
            ),
        )
        dialog = ConflictDialog(view)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.choose("notes", "theirs")
        assert dialog.choices() == {"city": "mine", "notes": "theirs", "values": "mine"}
        dialog.all_theirs.click()
        assert set(dialog.choices().values()) == {"theirs"}
        table = dialog.table
        for row in range(table.rowCount()):
            for column in range(1, 4):
                rect = table.visualRect(table.model().index(row, column))
                text = table.item(row, column).text()
                needed = table.fontMetrics().boundingRect(rect.adjusted(4, 0, -4, 0), 0x1000, text)  # word wrap
                assert needed.height() <= rect.height(), (row, column, text)
        header = table.horizontalHeader()
        for column in range(table.columnCount()):
            text = table.horizontalHeaderItem(column).text()
            wanted = max(header.fontMetrics().horizontalAdvance(line) for line in text.splitlines())
            assert header.sectionSize(column) >= wanted, text
        assert header.height() >= 2 * header.fontMetrics().height()  # both lines of "theirs" show
        out = Path("/tmp/conflict.png")
        dialog.grab().save(str(out))
        assert out.stat().st_size > 0
    finally:
        set_language("en")


def test_the_windows_change_poll_reaches_an_open_editor(qtbot, ws, bob, account_id, app_settings):
    from kamdesk.ui.main_window import MainWindow

    window = MainWindow(ws, app_settings, lambda _path, _create: ws)
    qtbot.addWidget(window)
    actions = window.shared_file
    actions.stop()  # polled by hand below
    ws.changes.reset()
    dialog = _dialog(qtbot, ws, account_id)
    _bob_saves(bob, account_id, city="无锡")
    assert dialog.banner.isHidden()
    assert actions.poll_changes()
    qtbot.waitUntil(lambda: not dialog.banner.isHidden())  # the check runs off the GUI thread
    assert "Changed by bob" in dialog.banner.label.text()
