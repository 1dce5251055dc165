"""The Account Plans tab driven like a person: start a plan, fill sections, save, conflict, actions, pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox

from kamdesk.domain.models import AccountDetail, AccountValue, TeamAssignment, TeamMember
from kamdesk.services.workspace import Workspace
from kamdesk.ui.tabs.plans.reviews import trend_line
from kamdesk.ui.tabs.plans.tab import PlansTab

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    workspace.clock.fix(TODAY)
    return workspace


def _setup(ws: Workspace) -> tuple[int, int]:
    me = ws.team.save(TeamMember(0, "Test Person", "客户经理", "销售部", "manager", "account_manager", True))
    account, _ = ws.accounts.save(
        AccountDetail(
            name="中国移动", values=[AccountValue("2026", 1000, None)], team=[TeamAssignment(me, "account_manager")]
        )
    )
    return account, me


def _tab(qtbot, ws: Workspace, account: int) -> PlansTab:
    tab = PlansTab(ws)
    qtbot.addWidget(tab)
    tab.select_account(account)
    return tab


def test_empty_states_then_a_new_plan_with_sections_saved_and_reloaded(qtbot, ws: Workspace, scripted):
    account, me = _setup(ws)
    tab = PlansTab(ws)
    qtbot.addWidget(tab)
    # No account chosen: the tab opens on the plans list, on the person's own plans, saying there are none yet.
    assert tab.stack.currentWidget() is tab.plan_list
    assert tab.plan_list.owner_combo.currentText() == "Test Person"
    assert "No plans of Test Person yet" in tab.plan_list.empty.text()
    tab.select_account(account)
    assert "no plan yet" in tab.empty.text() and not tab.save_button.isEnabled()
    scripted.texts.append("FY2027")
    assert tab.new_plan()
    editor = tab.editor
    assert editor.summary.owner_combo.currentData() == me  # from the account team
    editor.summary.summary_edit.setPlainText("巩固份额 <b>&</b> 🎉")
    editor.customer.customer_edits["buying_process"].setPlainText("招标")
    editor.customer.customer_swot.edits["threats"].setPlainText("价格战")
    editor.competitors.add_competitor()
    editor.competitors.table.item(0, 0).setText("华为")
    editor.objectives.add_objective()
    editor.objectives.table.item(0, 0).setText("份额提高到 40%")
    assert "measurable" in editor.objectives.table.item(0, 5).text()  # the SMART check says what is missing
    editor.objectives.table.item(0, 1).setText("采购份额")
    editor.objectives.table.item(0, 2).setText("40%")
    editor.objectives.table.item(0, 3).setText("2027-12-31")
    owner = editor.objectives.table.cellWidget(0, 4)
    assert isinstance(owner, QComboBox)
    owner.setCurrentIndex(owner.findData(me))
    assert editor.objectives.table.item(0, 5).text() == "complete"
    editor.steps.add_action()
    editor.steps.table.item(0, 0).setText("拜访采购总监")
    editor.steps.table.item(0, 2).setText("2027-01-15")
    objective = editor.steps.table.cellWidget(0, 5)
    assert isinstance(objective, QComboBox)
    objective.setCurrentIndex(objective.findData(0))
    editor.revenue.add_revenue()
    editor.revenue.table.item(0, 1).setText("1,000,000")
    editor.revenue.table.item(0, 2).setText("900000")
    assert "variance" in editor.revenue.totals_label.text() and "-10%" in editor.revenue.totals_label.text()
    assert tab.save(), tab.error.text()
    plans = ws.plans.plans(account)
    assert [p.period for p in plans] == ["FY2027"]
    saved = ws.plans.get(plans[0].id)
    assert saved is not None and saved.summary == "巩固份额 <b>&</b> 🎉" and saved.customer_swot.threats == "价格战"
    assert saved.competitors[0].name == "华为" and saved.objectives[0].owner_id == me
    assert saved.actions[0].objective == 0 and saved.revenue[0].target_cents == 100_000_000
    assert tab.period_combo.currentText() == "FY2027" and tab.editor.summary.summary_edit.toPlainText() == saved.summary


def test_a_bad_date_and_a_deadline_before_the_start_are_named_and_nothing_is_saved(qtbot, ws: Workspace, scripted):
    account, _me = _setup(ws)
    tab = _tab(qtbot, ws, account)
    tab.new_plan("FY2027")
    tab.editor.steps.add_action()
    tab.editor.steps.table.item(0, 0).setText("早了")
    tab.editor.steps.table.item(0, 2).setText("2027-02-30")
    assert not tab.save()
    assert "Action 1: the deadline is not a date" in tab.error.text() and tab.error.isVisibleTo(tab)
    tab.editor.steps.table.item(0, 2).setText("2026-12-01")
    assert not tab.save()
    assert "before the plan starts" in tab.error.text()
    assert ws.plans.plans(account) == []


def test_someone_elses_save_is_a_conflict_and_loading_theirs_is_offered(qtbot, ws: Workspace, scripted):
    account, _me = _setup(ws)
    plan_id = ws.plans.save(ws.plans.new(account, "FY2027"))
    tab = _tab(qtbot, ws, account)
    theirs = ws.plans.get(plan_id)
    assert theirs is not None
    theirs.vision = "他们的愿景"
    ws.plans.save(theirs)
    tab.editor.summary.vision_edit.setPlainText("我的愿景")
    scripted.yes_no.append(True)
    assert not tab.save()
    assert any(kind == "ask_yes_no" and "Someone else changed" in title for kind, title, _t in scripted.shown)
    assert tab.editor.summary.vision_edit.toPlainText() == "他们的愿景"


def test_my_actions_shows_overdue_steps_and_marks_them_done(qtbot, ws: Workspace, scripted):
    from kamdesk.domain.plans import ActionStep

    account, me = _setup(ws)
    plan = ws.plans.new(account, "FY2026")
    plan.actions = [
        ActionStep("逾期的一步", me, deadline=dt.date(2026, 11, 1)),
        ActionStep("下个月", me, deadline=dt.date(2026, 12, 20)),
    ]
    ws.plans.save(plan)
    tab = _tab(qtbot, ws, account)
    tab.actions_button.setChecked(True)
    view = tab.my_actions
    assert view.tree.topLevelItemCount() == 2
    first = view.tree.topLevelItem(0)
    assert first.text(1) == "逾期的一步" and first.toolTip(0) == "Overdue"
    view.tree.setCurrentItem(first)
    view.mark_done()
    assert view.tree.topLevelItemCount() == 1
    done = ws.plans.get(ws.plans.plans(account)[0].id)
    assert done is not None and done.actions[0].done_by == "Test Person" and done.actions[0].done_on == TODAY


def test_reviews_record_scores_and_show_a_trend(qtbot, ws: Workspace, scripted):
    account, _me = _setup(ws)
    plan_id = ws.plans.save(ws.plans.new(account, "FY2027"))
    ws.plans.add_review(plan_id, {"doing": 2}, "", dt.date(2026, 1, 1))
    tab = _tab(qtbot, ws, account)
    tab.reviews.record()  # nothing scored
    assert "at least one" in tab.reviews.error.text()
    tab.reviews.spins["doing"].setValue(5)
    tab.reviews.spins["needs"].setValue(4)
    tab.reviews.record()
    assert tab.reviews.history.topLevelItemCount() == 2 and "4.5" in tab.reviews.trend.text()
    assert trend_line([1.0, 3.0, 5.0]) == "▁▅█"


def test_the_plan_pack_is_previewed_and_can_be_saved(qtbot, ws: Workspace, scripted, tmp_path: Path):
    account, _me = _setup(ws)
    ws.plans.save(ws.plans.new(account, "FY2027"))
    tab = _tab(qtbot, ws, account)
    dialog = tab.preview_pack()
    assert dialog is not None and scripted.dialogs == [dialog]
    path = dialog.path
    assert path.read_bytes().startswith(b"%PDF") and dialog.document.pageCount() >= 3
    target = tmp_path / "saved.pdf"
    scripted.files.append(str(target))
    assert dialog.save_copy() == str(target) and target.read_bytes() == path.read_bytes()
    assert dialog.suggested_name == "中国移动 FY2027.pdf"
    dialog.close()  # the preview's temporary folder goes with it
    qtbot.waitUntil(lambda: not path.parent.exists())


def test_printing_draws_every_page_on_the_printer(qtbot, ws: Workspace, tmp_path: Path):
    from PySide6.QtPrintSupport import QPrinter

    from kamdesk.ui.dialogs.pdf_preview import PdfPreviewDialog

    account, _me = _setup(ws)
    plan_id = ws.plans.save(ws.plans.new(account, "FY2027"))
    pack = tmp_path / "pack.pdf"
    ws.plans.print_pack(plan_id, pack)
    dialog = PdfPreviewDialog(pack, "Plan pack", "pack.pdf")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.make_printer = lambda: printer  # type: ignore[method-assign]  # the person picked this printer
    assert dialog.print_document()
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert printed.count(b"/Type /Page\n") + printed.count(b"/Type /Page ") + printed.count(b"/Type/Page") >= 1
    assert dialog.document.pageCount() >= 3


def test_in_the_window_the_account_list_arrives_from_the_background(qtbot, ws: Workspace, monkeypatch):
    import threading

    account, _me = _setup(ws)
    ws.accounts.save(AccountDetail(name="华为 <技术> & Co", values=[AccountValue("2026", 500, None)]))
    gui = threading.get_ident()
    readers: list[int] = []
    choices = ws.contacts.account_choices

    def watched():  # noqa: ANN202
        readers.append(threading.get_ident())
        return choices()

    monkeypatch.setattr(ws.contacts, "account_choices", watched)
    tab = PlansTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.account_combo.count() == 2)
    assert readers and readers[0] != gui
    assert sorted(tab.account_combo.itemText(i) for i in range(2)) == ["中国移动", "华为 <技术> & Co"]
    # Asked for an account before the list arrived: it is read at once, and the late list is ignored.
    early = PlansTab(ws, background=True)
    qtbot.addWidget(early)
    early.select_account(account)
    assert early.account_id() == account
    qtbot.waitUntil(lambda: "no plan yet" in early.empty.text())  # its plans, too, are read in the background
    qtbot.wait(200)
    assert early.account_id() == account


def _watch(monkeypatch, service, names: list[str]) -> dict[str, list[int]]:  # noqa: ANN001
    """Record the thread each of `names` (service methods) runs on."""
    import threading

    seen: dict[str, list[int]] = {name: [] for name in names}
    for name in names:
        real = getattr(service, name)

        def watched(*args, _real=real, _name=name, **kwargs):  # noqa: ANN002, ANN003, ANN202
            seen[_name].append(threading.get_ident())
            return _real(*args, **kwargs)

        monkeypatch.setattr(service, name, watched)
    return seen


def test_plan_reads_and_every_write_run_off_the_gui_thread(qtbot, ws: Workspace, scripted, monkeypatch):
    import threading

    from kamdesk.domain.plans import ActionStep

    account, me = _setup(ws)
    plan = ws.plans.new(account, "FY2027")
    plan.actions = [ActionStep("拜访", me, deadline=dt.date(2027, 1, 15))]
    ws.plans.save(plan)
    seen = _watch(
        monkeypatch,
        ws.plans,
        ["plans", "get", "reviews", "save", "sponsor_review", "add_review", "my_actions", "mark_done", "delete"],
    )
    tab = PlansTab(ws, background=True)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.account_combo.count() == 1)
    tab.select_account(account)
    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.editor)
    tab.editor.summary.vision_edit.setPlainText("新的愿景")
    assert tab.save(), tab.error.text()
    scripted.texts.append("王总")
    tab.sponsor_reviewed()
    tab.reviews.spins["doing"].setValue(4)
    tab.reviews.record()
    tab.actions_button.setChecked(True)
    qtbot.waitUntil(lambda: tab.my_actions.tree.topLevelItemCount() == 1)
    tab.my_actions.tree.setCurrentItem(tab.my_actions.tree.topLevelItem(0))
    tab.my_actions.mark_done()
    tab.actions_button.setChecked(False)
    qtbot.waitUntil(lambda: tab.editor.steps.table.text(0, 6) != "")  # the plan on screen, read again
    scripted.yes_no.append(True)
    tab.delete()
    qtbot.waitUntil(lambda: "no plan yet" in tab.empty.text())
    gui = threading.get_ident()
    assert all(seen.values()), {name: len(threads) for name, threads in seen.items()}
    assert not [name for name, threads in seen.items() if gui in threads]
    assert ws.plans.plans(account) == []


def test_every_write_says_which_tables_changed(qtbot, ws: Workspace, scripted):
    from kamdesk.domain.plans import ActionStep

    account, me = _setup(ws)
    plan = ws.plans.new(account, "FY2027")
    plan.actions = [ActionStep("拜访", me, deadline=dt.date(2027, 1, 15))]
    ws.plans.save(plan)
    tab = _tab(qtbot, ws, account)
    said: list[object] = []
    tab.changed.connect(said.append)

    def wrote(what: str) -> None:
        assert said == [PlansTab.WRITES], what
        said.clear()

    tab.editor.summary.vision_edit.setPlainText("新的愿景")
    assert tab.save()
    wrote("save")
    scripted.texts.append("王总")
    tab.sponsor_reviewed()
    wrote("sponsor reviewed")
    tab.reviews.spins["doing"].setValue(4)
    tab.reviews.record()
    wrote("review")
    tab.actions_button.setChecked(True)
    tab.my_actions.tree.setCurrentItem(tab.my_actions.tree.topLevelItem(0))
    tab.my_actions.mark_done()
    wrote("mark done")
    tab.actions_button.setChecked(False)
    assert tab.copy_plan("FY2028")  # an unsaved copy: nothing written yet
    assert said == []
    tab.period_combo.setCurrentIndex(tab.period_combo.findText("FY2027"))
    tab.period_chosen()
    scripted.yes_no.append(True)
    tab.delete()
    wrote("delete")


def test_a_plan_that_cannot_be_read_is_said_and_logged(qtbot, ws: Workspace, scripted, monkeypatch, caplog):
    from kamdesk.services.errors import StorageError

    account, _me = _setup(ws)
    ws.plans.save(ws.plans.new(account, "FY2027"))

    def busy(_plan_id: int) -> None:
        raise StorageError("The team file is busy: 张三 is saving. Try again in a moment.")

    monkeypatch.setattr(ws.plans, "get", busy)
    tab = _tab(qtbot, ws, account)
    assert "busy" in tab.error.text() and tab.error.isVisibleTo(tab)
    assert "busy" in caplog.text


def test_refresh_keeps_the_period_on_screen(qtbot, ws: Workspace, scripted):
    account, _me = _setup(ws)
    ws.plans.save(ws.plans.new(account, "FY2026"))
    ws.plans.save(ws.plans.new(account, "FY2027"))
    tab = _tab(qtbot, ws, account)
    other = next(i for i in range(tab.period_combo.count()) if i != tab.period_combo.currentIndex())
    tab.period_combo.setCurrentIndex(other)
    tab.period_chosen()
    chosen = tab.period_combo.currentText()
    assert tab.editor.summary.period_edit.text() == chosen
    tab.refresh()
    assert tab.period_combo.currentText() == chosen and tab.editor.summary.period_edit.text() == chosen
    theirs = ws.plans.get(tab.period_combo.currentData())  # a colleague's save, seen by the poll
    assert theirs is not None
    theirs.vision = "他们的愿景"
    ws.plans.save(theirs)
    tab.refresh()  # nothing unsaved on screen: their version is shown
    assert tab.period_combo.currentText() == chosen and tab.editor.summary.vision_edit.toPlainText() == "他们的愿景"
