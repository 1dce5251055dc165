"""The plan editor: every section of one plan as a page, in the order the pack prints them."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QTabWidget, QWidget

from kamdesk.domain.models import TeamMember
from kamdesk.domain.plans import AccountPlan, PlanError, SmartContext
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui.errors import expected, log, report
from kamdesk.ui.ops import Op
from kamdesk.ui.tabs.plans.actions import ActionsPage
from kamdesk.ui.tabs.plans.cells import Members, scrolled
from kamdesk.ui.tabs.plans.competitors import CompetitorsPage
from kamdesk.ui.tabs.plans.intel import IntelPage
from kamdesk.ui.tabs.plans.objectives import ObjectivesPage
from kamdesk.ui.tabs.plans.profiles import CustomerPage, SituationPage
from kamdesk.ui.tabs.plans.reading import smart_key
from kamdesk.ui.tabs.plans.revenue import RevenuePage
from kamdesk.ui.tabs.plans.summary import SummaryPage


class PlanEditor(QTabWidget):
    """Every section of one plan (§9), in the order the pack prints them."""

    def __init__(
        self, workspace: Workspace, parent: QWidget | None = None, read_team: bool = True, background: bool = False
    ) -> None:
        """Without `read_team` the team's choosers stay empty until `set_members` (the tab reads it off the
        GUI thread); a plan is loaded only once they are filled. With `background` (the window), last year's
        revenue the SMART check needs and the plan did not bring is read off the GUI thread."""
        super().__init__(parent)
        self.workspace = workspace
        self.background = background
        self._actuals_generation = 0  # a plan loaded since a read of last year's revenue started: it is dropped
        self._actuals_asked: set[tuple[int, int]] = set()  # being read off the GUI thread
        self.members = Members(workspace, read_now=read_team)
        self.plan: AccountPlan | None = None
        today = workspace.plans.today
        self.summary = SummaryPage(workspace, self.members)
        self.customer = CustomerPage()
        self.competitors = CompetitorsPage()
        self.situation = SituationPage()
        self.objectives = ObjectivesPage(self.members)
        self.steps = ActionsPage(self.members, today, self.objectives.labels)
        self.revenue = RevenuePage(lambda: self.summary.period_edit.text().strip())
        self.intel = IntelPage(today)
        self.objectives.edited.connect(lambda: self.steps.refresh_objectives())
        # SMART is judged against the plan as the form shows it: its period, dates and revenue plan.
        self._actuals: dict[tuple[int, int], int | None] = {}
        self.objectives.set_context(self.smart_context)
        self.revenue.table.itemChanged.connect(lambda _item: self.objectives.refresh_smart())
        self.summary.period_edit.editingFinished.connect(self.objectives.refresh_smart)
        self.summary.starts_edit.dateChanged.connect(lambda _date: self.objectives.refresh_smart())
        self.summary.ends_edit.dateChanged.connect(lambda _date: self.objectives.refresh_smart())
        self.addTab(scrolled(self.summary), _("Summary"))
        self.addTab(scrolled(self.customer), _("Customer"))
        self.addTab(self.competitors, _("Competitors"))
        self.addTab(scrolled(self.situation), _("Situation"))
        self.addTab(self.objectives, _("Objectives"))
        self.addTab(self.steps, _("Actions"))
        self.addTab(self.revenue, _("Revenue"))
        self.addTab(self.intel, _("Intelligence"))

    def set_members(self, members: list[TeamMember]) -> None:
        self.members.set(members)
        self.summary.members_arrived()

    def load(self, plan: AccountPlan, actuals: dict[tuple[int, int], int | None] | None = None) -> None:
        """Show `plan`; `actuals` (from `read_actuals`, off the GUI thread) spares the SMART check its read."""
        self.plan = plan
        self._actuals_generation += 1
        self._actuals_asked.clear()
        self._actuals.clear()  # read again for this plan (here, or when first needed)
        self._actuals.update(actuals or {})
        self.summary.load(plan)
        self.customer.load(plan)
        self.situation.load(plan)
        self.competitors.load(plan)
        self.objectives.load(plan)
        self.steps.load(plan)
        self.revenue.load(plan)
        self.intel.load(plan)
        self.objectives.refresh_smart()  # now against this plan's dates and revenue

    def smart_context(self) -> SmartContext | None:
        """The period, revenue plan and last year's revenue the objectives are judged against."""
        if self.plan is None:
            return None
        header = self.summary.values()
        draft = replace(
            self.plan,
            period=header["period"],
            starts_on=header["starts_on"],
            ends_on=header["ends_on"],
            revenue=self.revenue.values([])["revenue"],
        )
        start = SmartContext.of(draft).starts_on
        if start is None:
            return SmartContext.of(draft)
        key = smart_key(draft)
        assert key is not None
        if key not in self._actuals:
            if self.background:
                self._read_actual(key)
                return SmartContext.of(draft)  # judged without last year until it lands
            try:
                self._actuals[key] = self.workspace.smart.actual_revenue(*key)
            except StorageError:
                return SmartContext.of(draft)  # judged without last year; read again next time
        return SmartContext.of(draft, self._actuals[key], str(key[1]))

    def _read_actual(self, key: tuple[int, int]) -> None:
        """Read last year's revenue for `key` off the GUI thread (once while on its way), then judge again."""
        if key in self._actuals_asked:
            return
        self._actuals_asked.add(key)
        generation = self._actuals_generation
        smart = self.workspace.smart

        def arrived(cents: int | None) -> None:
            if generation != self._actuals_generation:
                return  # another plan is shown now
            self._actuals_asked.discard(key)
            self._actuals[key] = cents
            self.objectives.refresh_smart()

        def failed(exc: Exception) -> None:  # judged without last year; read again next time
            if generation == self._actuals_generation:
                self._actuals_asked.discard(key)
            if expected(exc):
                log.warning("SMART check: %s", exc)
            else:
                report(self, exc, _("SMART check"))

        Op(self, lambda: smart.actual_revenue(*key), _("SMART check")).success(arrived).failure(failed).run()

    def value(self) -> AccountPlan:
        """The plan as the form shows it; a cell that cannot be read raises PlanError naming it."""
        assert self.plan is not None
        problems: list[str] = []
        fields = {
            **self.objectives.values(problems),
            **self.steps.values(problems),
            **self.revenue.values(problems),
            **self.intel.values(problems),
        }
        if problems:
            raise PlanError("\n".join(problems))
        p = self.plan
        return AccountPlan(
            account_id=p.account_id,
            **self.summary.values(),
            **self.customer.values(),
            **self.situation.values(),
            **self.competitors.values(),
            **fields,
            sponsor_reviewed_by=p.sponsor_reviewed_by,
            sponsor_reviewed_on=p.sponsor_reviewed_on,
            id=p.id,
            version=p.version,
            account_name=p.account_name,
            account_class=p.account_class,
            updated_by=p.updated_by,
            updated_at=p.updated_at,
        )
