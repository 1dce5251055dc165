"""Two things the contact card offers beyond its form: adding a colleague when Our team is still empty, and
planning a call with the person there and then."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QPushButton, QTableWidgetItem

from kamdesk.domain.contacts import ContactLink
from kamdesk.domain.enums import RelationshipStage, TeamRole
from kamdesk.domain.models import TeamMember
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, TeamService, Workspace
from kamdesk.ui import prompts
from kamdesk.ui.models.contacts_model import stage_text
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.choices import select_data


def add_colleague(dialog: Any) -> None:
    """Add colleague on the card: a row for the first of our people; with nobody on Our team yet, offer to add one
    there and then (it used to do nothing at all)."""
    active = [m for m in dialog.members if m.active]
    if not active:
        if dialog.read_only:
            return
        name = prompts.current().ask_text(
            dialog,
            _("Add colleague"),
            _("Nobody is on Our team yet. Add a colleague who knows this person (you can add more on Our team):"),
            "",
        )
        if not name or not name.strip():
            return
        member = TeamMember(0, name.strip(), "", "", None, TeamRole.SALES.value, True)
        team = TeamService(dialog.service.db)
        try:
            member_id = Op(dialog, lambda: team.save(member), _("Colleague not saved")).changes({"team_members"}).wait()
        except (StorageError, ValueError) as exc:
            prompts.current().warn(dialog, _("Colleague not saved"), str(exc))
            return
        added = TeamMember(member_id, member.name, "", "", None, member.role, True)
        dialog.members = [*dialog.members, added]
        active = [added]
    dialog._add_link_row(ContactLink(active[0].id))


def add_link_row(dialog: Any, link: ContactLink | None) -> None:
    """A row in the card's "Our people who know this person" table: the colleague, the stage, the last contact."""
    if link is None:
        return
    table = dialog.links_table
    row = table.rowCount()
    table.insertRow(row)
    member_combo = QComboBox()
    for member in dialog.members:
        if member.active or member.id == link.member_id:
            member_combo.addItem(member.name, member.id)
    if link.member_id not in {m.id for m in dialog.members}:
        member_combo.addItem(_("{name} (removed)").format(name=link.member_name or "?"), link.member_id)
    select_data(member_combo, link.member_id)
    stage_combo = QComboBox()
    for stage in RelationshipStage:
        stage_combo.addItem(stage_text(stage.value), stage.value)
    select_data(stage_combo, link.stage)
    table.setCellWidget(row, 0, member_combo)
    table.setCellWidget(row, 1, stage_combo)
    table.setItem(row, 2, QTableWidgetItem(link.last_contact_on.isoformat() if link.last_contact_on else ""))


def offer_plan_call(dialog: Any, workspace: Workspace) -> QPushButton | None:
    """A "Plan a call…" button on a saved person's card, opening the follow-up planner with them filled in."""
    if dialog.detail.id is None or workspace.read_only:
        return None
    button = dialog.buttons.addButton(_("Plan a call…"), QDialogButtonBox.ButtonRole.ActionRole)
    button.setToolTip(_("Plan a call (or an e-mail, visit or greeting) with this person; it joins the agenda"))
    button.clicked.connect(lambda: plan_call(dialog, workspace))
    dialog.plan_call_button = button
    return button


def make_plan_dialog(dialog: Any, workspace: Workspace) -> Any:
    from kamdesk.ui.dialogs.followup_dialogs import PlanDialog
    from kamdesk.ui.dialogs.plan_data import PlanData

    contact_id = dialog.detail.id
    # The team and the person's company were read with the card: the planner opens without reading.
    data = PlanData(
        members=list(dialog.members), contact_id=contact_id, accounts={contact_id: dialog.detail.account_id}
    )
    plan = PlanDialog(workspace, dialog, contact_id=contact_id, data=data)
    select_data(plan.kind_combo, "call")
    mine = next((m.id for m in dialog.members if m.name == workspace.user_name), None)  # read with the card
    if mine is not None:
        select_data(plan.member_combo, mine)
    return plan


def plan_call(dialog: Any, workspace: Workspace) -> bool:
    plan = make_plan_dialog(dialog, workspace)
    if not plan.exec():
        return False
    from kamdesk.ui import change_notices

    change_notices.announce_tables({"activities"})
    return True
