"""Account plans (domain.md §9): the plan's sections, SMART objectives, action steps, revenue, reviews."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kamdesk.domain.amounts import money_cents, quantities, wan
from kamdesk.domain.enums import RelationshipStage
from kamdesk.i18n import N_, _

if TYPE_CHECKING:
    from kamdesk.domain.models import AccountValue, ClassHistoryEntry
    from kamdesk.domain.org_map import MapAnalysis, OrgMapData
    from kamdesk.domain.zipper_checks import ZipperFinding

#: The four corners of a SWOT, in the order of the 2×2 grid (top left, top right, bottom left, bottom right).
SWOT_PARTS = (
    ("strengths", N_("Strengths")),
    ("weaknesses", N_("Weaknesses")),
    ("opportunities", N_("Opportunities")),
    ("threats", N_("Threats")),
)

#: What the customer profile holds besides its SWOT (§9.2), in print order.
CUSTOMER_FIELDS = (
    ("business", N_("Business")),
    ("markets", N_("Markets")),
    ("strategy", N_("Strategy")),
    ("trends", N_("Trends")),
    ("needs", N_("Needs, past and present")),
    ("key_people", N_("Key people")),
    ("buying_process", N_("Buying process (who decides, who approves, tender rules, criteria)")),
    ("performance", N_("Performance and finances")),
)

#: Per competitor (§9.3), in print order; "preference" (how much the customer prefers them) is a score.
COMPETITOR_FIELDS = (
    ("relationship", N_("Relationship and business with this customer")),
    ("capabilities", N_("Capabilities")),
    ("strategy", N_("Strategy")),
    ("strengths", N_("Strengths")),
    ("weaknesses", N_("Weaknesses")),
    ("customer_view", N_("How the customer sees them")),
)

#: Situation assessment (§9.4) besides the share of spend, the cycle stage and our SWOT.
SITUATION_FIELDS = (
    ("our_business", N_("Our relationship and business with them")),
    ("who_favours_us", N_("Who favours us")),
    ("strengths_seen", N_("Our strengths as they see them")),
    ("weaknesses_seen", N_("Our weaknesses as they see them")),
)

#: What the executive sponsor reads first (the pack's front page), kept in the plan's situation texts
#: (plan.situation, stored with the plan's narrative) under these keys, one item a line.
EXECUTIVE_FIELDS = (
    ("risks", N_("Top risks (one a line)")),
    ("asks", N_("Asks of the executive sponsor (one a line)")),
)

ACTION_STATUSES = (
    ("not_started", N_("Not started")),
    ("in_progress", N_("In progress")),
    ("done", N_("Done")),
    ("blocked", N_("Blocked")),
)

#: Information grades (§9): the higher, the costlier and the more valuable.
INTEL_GRADES = {
    1: N_("1 — public and free"),
    2: N_("2 — public, at a cost"),
    3: N_("3 — private, through contacts"),
    4: N_("4 — private, from their top management"),
}

#: The periodic relationship self-check (§9), each scored 1 (poor) to 5 (excellent).
REVIEW_QUESTIONS = (
    ("doing", N_("How are we doing with this customer overall?")),
    ("needs", N_("Do we meet their needs?")),
    ("value", N_("What value do we bring beyond the product?")),
    ("working", N_("Are they satisfied with how we work together?")),
    ("people", N_("Are they satisfied with our people?")),
)

MAX_TEXT = 20_000  # characters per text field: a long essay fits, a pasted file does not


class PlanError(ValueError):
    """A plan that cannot be saved as it stands; the message says what to fix."""


@dataclass
class Swot:
    strengths: str = ""
    weaknesses: str = ""
    opportunities: str = ""
    threats: str = ""


@dataclass
class Competitor:
    name: str
    relationship: str = ""
    capabilities: str = ""
    strategy: str = ""
    strengths: str = ""
    weaknesses: str = ""
    customer_view: str = ""
    preference: int | None = None  # 1 (avoid them) … 5 (strongly prefer them)


@dataclass
class Objective:
    statement: str
    measure: str = ""
    target_value: str = ""
    due_on: dt.date | None = None
    owner_id: int | None = None
    owner_name: str = ""
    id: int | None = None


@dataclass
class ActionStep:
    task: str
    owner_id: int | None = None
    owner_name: str = ""
    deadline: dt.date | None = None
    status: str = "not_started"
    progress: int = 0  # percent
    objective: int | None = None  # index into the plan's objectives
    done_by: str = ""
    done_on: dt.date | None = None
    id: int | None = None


@dataclass
class RevenueLine:
    period: str
    target_cents: int | None = None
    actual_cents: int | None = None
    margin_pct: float | None = None
    profit_cents: int | None = None


@dataclass
class IntelNote:
    grade: int
    note: str
    source: str = ""
    noted_on: dt.date | None = None


@dataclass
class RelationshipReview:
    reviewed_on: dt.date
    scores: dict[str, int]
    notes: str = ""
    reviewed_by: str = ""
    id: int | None = None

    @property
    def average(self) -> float | None:
        marks = [v for v in self.scores.values() if v]
        return round(sum(marks) / len(marks), 2) if marks else None


@dataclass
class AccountPlan:
    account_id: int
    period: str
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    summary: str = ""
    customer: dict[str, str] = field(default_factory=dict)
    customer_swot: Swot = field(default_factory=Swot)
    competitors: list[Competitor] = field(default_factory=list)
    situation: dict[str, str] = field(default_factory=dict)
    share_of_spend_pct: float | None = None
    cycle_stage: str | None = None
    our_swot: Swot = field(default_factory=Swot)
    vision: str = ""
    objectives: list[Objective] = field(default_factory=list)
    actions: list[ActionStep] = field(default_factory=list)
    revenue: list[RevenueLine] = field(default_factory=list)
    intel: list[IntelNote] = field(default_factory=list)
    owner_id: int | None = None
    sponsor_id: int | None = None
    sales_manager_id: int | None = None
    sponsor_reviewed_by: str = ""
    sponsor_reviewed_on: dt.date | None = None
    id: int | None = None
    version: int = 0
    account_name: str = ""
    account_class: str | None = None
    updated_by: str = ""
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class PlanSummary:
    """One line of the plans of an account."""

    id: int
    period: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    updated_by: str
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class MyAction:
    """An open action step of one person, across every plan."""

    id: int
    plan_id: int
    account_name: str
    period: str
    task: str
    deadline: dt.date | None
    status: str
    progress: int
    overdue: bool


@dataclass(frozen=True)
class PackContact:
    name: str
    title: str
    rank: str
    buying_role: str
    stage: str
    target: str
    below_target: bool


@dataclass
class PlanPack:
    """Everything the printed plan pack shows."""

    plan: AccountPlan
    owner: str
    sponsor: str
    sales_manager: str
    contacts: list[PackContact]
    reviews: list[RelationshipReview]
    printed_on: dt.date
    currency: str = "CNY"
    zipper: list[ZipperFinding] = field(default_factory=list)  # the account's zipper check, problems first
    smart: SmartContext | None = None  # what the objectives are judged against (None: the plan alone)
    # Issue 22: the pack as an executive document. `owner`, `sponsor` and `sales_manager` are the plan's own
    # choice where it names one, else the account team's; `account_manager` is the team's account manager
    # (the plan's owner when the team names none); `from_team` lists the roles (TeamRole values) taken
    # from the account team.
    account_manager: str = ""
    from_team: tuple[str, ...] = ()
    values: list[AccountValue] = field(default_factory=list)  # the account's revenue by period, oldest first
    class_history: list[ClassHistoryEntry] = field(default_factory=list)  # newest first
    org_map: tuple[OrgMapData, MapAnalysis] | None = None
    printed_by: str = ""  # who printed it
    confidentiality: str = ""  # the footer mark (the team's wording; empty: the default)
    worksheet: bool = False  # a blank plan to fill in by hand: prompts, ruled space, empty rows


# Rules ----------------------------------------------------------------------------------------

_PERIOD = re.compile(r"^(?:FY)?(\d{4})(?:-?(H[12]|Q[1-4]))?$")


def period_dates(period: str) -> tuple[dt.date, dt.date] | None:
    """The dates a period label such as FY2027, 2027, 2027-H1 or 2027-Q3 stands for (None if free text)."""
    match = _PERIOD.match(period.strip().upper())
    if not match:
        return None
    year = int(match.group(1))
    part = match.group(2)
    if not part:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if part[0] == "H":
        first = 1 if part == "H1" else 7
        months = 6
    else:
        first = 3 * int(part[1]) - 2
        months = 3
    last_month = first + months - 1
    end = dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, first, 1), end


def normal_period(period: str) -> str:
    """The period as it is stored: a label kamdesk reads is written one way however it was typed
    ("fy2027" → "FY2027", "2027q3" → "2027-Q3"), so two spellings of one period are one period to the
    database too; free text is kept as typed, trimmed (its duplicates are found ignoring case)."""
    text = period.strip()
    match = _PERIOD.match(text.upper())
    if not match:
        return text
    prefix = "FY" if text.upper().startswith("FY") else ""
    part = match.group(2)
    return f"{prefix}{match.group(1)}-{part}" if part else f"{prefix}{match.group(1)}"


def next_period(period: str) -> str:
    """The period after `period` in the same shape (FY2026 → FY2027, 2026-Q4 → 2027-Q1)."""
    text = period.strip()
    match = _PERIOD.match(text.upper())
    if not match:
        return text
    year, part = int(match.group(1)), match.group(2)
    prefix = "FY" if text.upper().startswith("FY") else ""
    if not part:
        return f"{prefix}{year + 1}"
    if part[0] == "H":
        return f"{prefix}{year}-H2" if part == "H1" else f"{prefix}{year + 1}-H1"
    quarter = int(part[1])
    return f"{prefix}{year}-Q{quarter + 1}" if quarter < 4 else f"{prefix}{year + 1}-Q1"


def smart_missing(objective: Objective) -> list[str]:
    """The SMART parts an objective still lacks (empty when it can count as complete)."""
    missing = []
    if len(objective.statement.strip()) < 8:
        missing.append(_("specific: say what exactly is to be achieved"))
    if not objective.measure.strip():
        missing.append(_("measurable: say how it is measured"))
    if not objective.target_value.strip():
        missing.append(_("measurable: give the target value"))
    if objective.owner_id is None:
        missing.append(_("achievable: name the owner who will make it happen"))
    if objective.due_on is None:
        missing.append(_("timely: give the due date"))
    return missing


# SMART that checks ------------------------------------------------------------------------------
#: The letters kamdesk checks, with their names (seed 003: 具体的, 可衡量的, 可达到的, 及时的). The fifth,
#: appropriate (适当的), is for the executive sponsor's review: no rule can judge it.
SMART_LETTERS = (("S", N_("specific")), ("M", N_("measurable")), ("A", N_("achievable")), ("T", N_("timely")))

#: An objective's amount more than this multiple of the plan's revenue target is flagged as out of line.
REVENUE_PLAN_MARGIN = 1.25
#: … and more than this multiple of last year's actual revenue.
LAST_YEAR_MARGIN = 2.0

#: Words that say something should get better without saying what (removed before judging what is left).
_VAGUE_ZH = tuple(
    sorted(
        (
            "进一步 提高 提升 改善 改进 加强 增强 增进 增加 扩大 优化 推进 促进 做好 搞好 维护 巩固 发展 深化 "
            "客户 对方 我们 我方 公司 满意度 满意 关系 合作 业务 业绩 服务 质量 水平 形象 影响力 沟通 联系 交流 "
            "力度 效果 更好 更多 良好 较好 感觉 印象 持续 努力 尽量 尽快 争取 整体 全面 总体 达到 目标 实现 完成 "
            "年度 销售额 销售 方面 工作 情况 好 更 的 和 与 及 在 把 将 使 让 对 了 要 等 各 度"
        ).split(),
        key=len,
        reverse=True,
    )
)
_VAGUE_EN = frozenset(
    (
        "improve improved improving increase increased enhance strengthen better more good great grow develop boost "
        "maintain deepen relationship relationships relations customer customers client clients satisfaction "
        "satisfied business sales service services quality cooperation communication performance overall further "
        "the a an our their with of to and in for be target targets achieve reach level image feeling feel general "
        "generally make get keep it them we they us this that all annual year yearly"
    ).split()
)
_FEELINGS = ("感觉", "印象", "觉得", "感受", "feeling", "impression", "gut", "sense")
_CHECKABLE = (
    "通过", "签订", "签署", "签约", "中标", "入围", "进入", "纳入", "列入", "获得", "获批", "批准", "完成", "上线",
    "投产", "验收", "认证", "成为", "建立", "启动", "发布", "passed", "signed", "won", "awarded", "approved",
    "certified", "listed", "completed", "launched", "accepted", "qualified", "became", "established",
)  # fmt: skip
_MEASURE_UNITS = (
    "%", "％", "分", "个", "次", "元", "份额", "得分", "分数", "数量", "次数", "金额", "率", "score", "share",
    "number", "count", "amount", "rate", "percent",
)  # fmt: skip


@dataclass(frozen=True)
class SmartFinding:
    """One SMART letter of one objective: whether it holds, and why (or why not) in a sentence."""

    letter: str  # "S", "M", "A" or "T"
    ok: bool
    reason: str

    @property
    def name(self) -> str:
        return _(dict(SMART_LETTERS)[self.letter])


@dataclass(frozen=True)
class SmartContext:
    """What an objective is judged against: the plan's period, its revenue target and last year's actuals."""

    period: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    revenue_target_cents: int | None = None  # the plan's sales target over its period
    last_year_actual_cents: int | None = None  # the account's revenue in the year before the plan
    last_year: str = ""

    @classmethod
    def of(cls, plan: AccountPlan, last_year_actual_cents: int | None = None, last_year: str = "") -> SmartContext:
        dates = (plan.starts_on, plan.ends_on)
        if not all(dates):
            dates = period_dates(plan.period) or dates
        targets = [line.target_cents for line in plan.revenue if line.target_cents is not None]
        return cls(
            plan.period, dates[0], dates[1], sum(targets) if targets else None, last_year_actual_cents, last_year
        )


def _concrete_part(text: str) -> str:
    """What is left of a text once the words that only say "better" are taken out."""
    rest = text.lower()
    for word in _VAGUE_ZH:
        rest = rest.replace(word, " ")
    words = re.findall(r"[a-z]+|\d+|[\u4e00-\u9fff]+", rest)
    return " ".join(w for w in words if w not in _VAGUE_EN and (len(w) > 1 or w.isdigit() or "\u4e00" <= w <= "\u9fff"))


def _specific(objective: Objective) -> SmartFinding:
    statement = objective.statement.strip()
    if not statement:
        return SmartFinding("S", False, _("Write what is to be achieved."))
    concrete = _concrete_part(statement + " " + objective.measure)
    # One character of substance (e.g. 度) is not enough; two Chinese characters or an English word is.
    if len(concrete.replace(" ", "")) < 2:
        return SmartFinding(
            "S",
            False,
            _(
                "“{text}” says what should get better, not what exactly: name the product, project, people or "
                "figure it is about."
            ).format(text=statement),
        )
    return SmartFinding("S", True, _("Names what is to be achieved."))


def _names_stage(text: str) -> bool:
    lowered = text.lower()
    return any(
        s.value.replace("_", " ") in lowered or _(s.label).lower() in lowered or s.label.lower() in lowered
        for s in RelationshipStage
    ) or any(word in text for word in ("陌生", "认识", "普通朋友", "好朋友", "普通兄弟", "好兄弟", "死党"))


def _measurable(objective: Objective) -> SmartFinding:
    target, measure = objective.target_value.strip(), objective.measure.strip()
    if not target and not measure:
        return SmartFinding("M", False, _("Say how it is measured and give the target value."))
    if any(word in measure.lower() for word in _FEELINGS):
        return SmartFinding(
            "M",
            False,
            _("“{measure}” is a feeling, not a measure: count something or score it.").format(measure=measure),
        )
    found = quantities(target)
    if any(q.has_unit for q in found):
        return SmartFinding("M", True, _("A figure with its unit: {target}.").format(target=target))
    if found and any(unit in measure.lower() for unit in _MEASURE_UNITS):
        return SmartFinding(
            "M", True, _("A figure, counted in {measure}: {target}.").format(measure=measure, target=target)
        )
    if target and (any(word in target.lower() for word in _CHECKABLE) or _names_stage(target)):
        return SmartFinding("M", True, _("A result one can check: {target}.").format(target=target))
    if not target:
        if any(q.has_unit for q in quantities(objective.statement)):
            return SmartFinding("M", True, _("The statement gives the figure."))
        return SmartFinding("M", False, _("Give the target value: a number with its unit, or a result one can check."))
    if found:
        return SmartFinding(
            "M", False, _("“{target}” has no unit: say what is counted (万元, %, 个, 分 …).").format(target=target)
        )
    return SmartFinding(
        "M",
        False,
        _(
            "“{target}” is not a figure: give a number with its unit (≥ 90 分, 3 个项目, 500万元) or a result one "
            "can check (签订合同, 通过审核)."
        ).format(target=target),
    )


def objective_amount(objective: Objective) -> int | None:
    """The amount of money an objective aims at, in cents (None when it aims at something else)."""
    context = objective.measure + " " + objective.statement
    amount = money_cents(objective.target_value, context)
    return amount if amount is not None or objective.target_value.strip() else money_cents(objective.statement, context)


def _achievable(objective: Objective, context: SmartContext | None) -> SmartFinding:
    problems: list[str] = []
    if objective.owner_id is None:
        problems.append(_("Name the owner who will make it happen."))
    amount = objective_amount(objective)
    plan = context.revenue_target_cents if context else None
    if amount and plan and amount > REVENUE_PLAN_MARGIN * plan:
        problems.append(
            _("{amount} is {ratio:.1f} times the revenue plan of {plan} for {period}.").format(
                amount=wan(amount), ratio=amount / plan, plan=wan(plan), period=context.period if context else ""
            )
        )
    actual = context.last_year_actual_cents if context else None
    if amount and actual and amount > LAST_YEAR_MARGIN * actual:
        problems.append(
            _("{amount} is more than twice last year's actual revenue of {actual} ({year}).").format(
                amount=wan(amount), actual=wan(actual), year=context.last_year if context else ""
            )
        )
    if problems:
        return SmartFinding("A", False, " ".join(problems))
    if amount and plan:
        return SmartFinding(
            "A",
            True,
            _("{amount} is in line with the revenue plan ({plan}).").format(amount=wan(amount), plan=wan(plan)),
        )
    return SmartFinding("A", True, _("Has an owner: {name}.").format(name=objective.owner_name or "?"))


def _timely(objective: Objective, context: SmartContext | None) -> SmartFinding:
    due = objective.due_on
    if due is None:
        return SmartFinding("T", False, _("Give the due date."))
    start, end = (context.starts_on, context.ends_on) if context else (None, None)
    if start and due < start:
        return SmartFinding(
            "T",
            False,
            _("Due {due}, before the plan starts ({start}).").format(due=due.isoformat(), start=start.isoformat()),
        )
    if end and due > end:
        return SmartFinding(
            "T",
            False,
            _("Due {due}, after the plan ends ({end}): bring it inside the plan, or move it to the next plan.").format(
                due=due.isoformat(), end=end.isoformat()
            ),
        )
    if start and end:
        return SmartFinding("T", True, _("Due {due}, inside the plan period.").format(due=due.isoformat()))
    return SmartFinding("T", True, _("Due {due}.").format(due=due.isoformat()))


def smart_findings(objective: Objective, plan: AccountPlan | SmartContext | None = None) -> list[SmartFinding]:
    """Each checked SMART letter of an objective (S, M, A, T), whether it holds and why.

    Against a plan (or a SmartContext built from one, with last year's actual revenue) the due date must
    fall inside the plan's period and an amount of money must sit in line with its revenue plan.
    """
    context = SmartContext.of(plan) if isinstance(plan, AccountPlan) else plan
    return [_specific(objective), _measurable(objective), _achievable(objective, context), _timely(objective, context)]


def smart_summary(findings: list[SmartFinding]) -> str:
    """The failing letters, one a line, each with its reason ("complete" when none fails): for the form and the pack."""
    failing = [f for f in findings if not f.ok]
    if not failing:
        return _("complete")
    return "\n".join(
        _("{letter} ({name}): {reason}").format(letter=f.letter, name=f.name, reason=f.reason) for f in failing
    )


def is_overdue(action: ActionStep, today: dt.date) -> bool:
    return action.status != "done" and action.deadline is not None and action.deadline < today


@dataclass(frozen=True)
class RevenueTotals:
    target_cents: int
    actual_cents: int
    profit_cents: int
    variance_cents: int  # actual − target, over the periods that have an actual figure yet
    variance_pct: float | None
    margin_pct: float | None  # profit ÷ actual revenue


def revenue_totals(lines: list[RevenueLine]) -> RevenueTotals:
    target = sum(line.target_cents or 0 for line in lines)
    actual = sum(line.actual_cents or 0 for line in lines)
    profit = sum(line.profit_cents or 0 for line in lines)
    # A period still to come has no actual yet: it is not a shortfall, so it stays out of the variance.
    reported_target = sum(line.target_cents or 0 for line in lines if line.actual_cents is not None)
    variance = actual - reported_target
    return RevenueTotals(
        target,
        actual,
        profit,
        variance,
        round(variance * 100 / reported_target, 1) if reported_target else None,
        round(profit * 100 / actual, 1) if actual else None,
    )


@dataclass(frozen=True)
class RevenueToDate:
    """The revenue plan read two ways: the year to date (the periods with an actual figure) and the full year."""

    periods: tuple[str, ...]  # the periods counted in the year to date, in plan order
    ytd_target_cents: int
    ytd_actual_cents: int
    year_target_cents: int
    year_actual_cents: int

    @property
    def ytd_variance_cents(self) -> int:
        return self.ytd_actual_cents - self.ytd_target_cents

    @property
    def ytd_variance_pct(self) -> float | None:
        return round(self.ytd_variance_cents * 100 / self.ytd_target_cents, 1) if self.ytd_target_cents else None

    @property
    def year_variance_cents(self) -> int:
        """Actual so far less the full year's target: what is still to be won (negative) or beyond it."""
        return self.year_actual_cents - self.year_target_cents

    @property
    def year_variance_pct(self) -> float | None:
        return round(self.year_variance_cents * 100 / self.year_target_cents, 1) if self.year_target_cents else None

    @property
    def year_done_pct(self) -> float | None:
        """How much of the full year's target is won so far, in percent."""
        return round(self.year_actual_cents * 100 / self.year_target_cents, 1) if self.year_target_cents else None


def revenue_to_date(lines: list[RevenueLine]) -> RevenueToDate:
    """Year to date over the periods that have an actual figure (a period still to come is no shortfall), and
    the full year over every period, its variance being the gap between what is won and the year's target."""
    reported = [line for line in lines if line.actual_cents is not None]
    return RevenueToDate(
        tuple(line.period for line in reported),
        sum(line.target_cents or 0 for line in reported),
        sum(line.actual_cents or 0 for line in reported),
        sum(line.target_cents or 0 for line in lines),
        sum(line.actual_cents or 0 for line in lines),
    )


def period_rows(period: str, starts_on: dt.date | None = None) -> list[str]:
    """The periods a blank revenue plan has a row for: the quarters of a year (FY2027 → 2027-Q1 … 2027-Q4),
    the two quarters of a half, the quarter itself; the months of a free period, at most twelve."""
    match = _PERIOD.match(period.strip().upper())
    if match:
        year, part = match.group(1), match.group(2)
        if not part:
            return [f"{year}-Q{q}" for q in range(1, 5)]
        if part[0] == "H":
            first = 1 if part == "H1" else 3
            return [f"{year}-Q{first}", f"{year}-Q{first + 1}"]
        return [f"{year}-{part}"]
    if starts_on is not None:
        return [f"{(starts_on.year * 12 + starts_on.month - 1 + i) // 12}-{(starts_on.month - 1 + i) % 12 + 1:02d}"
                for i in range(12)]  # fmt: skip
    return ["", "", "", ""]


def line_variance(line: RevenueLine) -> int | None:
    if line.target_cents is None or line.actual_cents is None:
        return None
    return line.actual_cents - line.target_cents


def copy_forward(plan: AccountPlan, period: str) -> AccountPlan:
    """A new plan for `period` starting from `plan`: the profiles, assessments, vision, roles and
    objectives carry over, and the actions not done yet; revenue, reviews and sign-off do not."""
    dates = period_dates(period)
    # Objectives carry over whole (their due dates are for a person to move); unfinished actions keep
    # their link, which is an index into the objectives and so stays right. A deadline that fell
    # before the new period is cleared: the step needs a new date, which the form asks for.
    objectives = [replace(o, id=None) for o in plan.objectives]
    start = dates[0] if dates else None
    actions = [
        replace(
            a,
            id=None,
            done_by="",
            done_on=None,
            deadline=None if start and a.deadline and a.deadline < start else a.deadline,
        )
        for a in plan.actions
        if a.status != "done"
    ]
    return replace(
        plan,
        id=None,
        version=0,
        period=period.strip(),
        starts_on=dates[0] if dates else None,
        ends_on=dates[1] if dates else None,
        customer=dict(plan.customer),
        customer_swot=replace(plan.customer_swot),
        competitors=[replace(c) for c in plan.competitors],
        situation=dict(plan.situation),
        our_swot=replace(plan.our_swot),
        objectives=objectives,
        actions=actions,
        revenue=[],
        intel=[replace(n) for n in plan.intel],
        sponsor_reviewed_by="",
        sponsor_reviewed_on=None,
        updated_by="",
        updated_at=None,
    )


def validate(plan: AccountPlan, active_member_ids: set[int]) -> list[str]:
    """Everything that stops a plan being saved, each as a sentence naming the row."""
    # The order is the order of the form: header, objectives, actions, then the scored sections.
    return [
        *_header_problems(plan),
        *_objective_problems(plan.objectives, active_member_ids),
        *_action_problems(plan, active_member_ids),
        *_score_problems(plan),
    ]


def _header_problems(plan: AccountPlan) -> list[str]:
    """Problems with the plan's period, its dates and the length of its texts."""
    problems: list[str] = []
    if not plan.period.strip():
        problems.append(_("Give the plan a period, such as FY2027."))
    elif len(plan.period.strip()) > 40:
        problems.append(_("A period label has at most 40 characters."))
    if plan.starts_on and plan.ends_on and plan.ends_on < plan.starts_on:
        problems.append(_("The plan ends before it starts."))
    # One sentence for the first long text is enough; more would repeat it.
    too_long = next((len(text) for text in _texts(plan) if len(text) > MAX_TEXT), None)
    if too_long is not None:
        problems.append(
            _("A text field holds {count:,} characters; the most is {most:,}.").format(count=too_long, most=MAX_TEXT)
        )
    return problems


def _objective_problems(objectives: list[Objective], active_member_ids: set[int]) -> list[str]:
    """Problems with each objective: a missing statement or an owner who has left."""
    problems: list[str] = []
    for number, objective in enumerate(objectives, start=1):
        if not objective.statement.strip():
            problems.append(_("Objective {n} has no statement.").format(n=number))
        if objective.owner_id is not None and objective.owner_id not in active_member_ids:
            problems.append(
                _("Objective {n}: {name} has left the team; choose another owner.").format(
                    n=number, name=objective.owner_name or "?"
                )
            )
    return problems


def _action_problems(plan: AccountPlan, active_member_ids: set[int]) -> list[str]:
    """Problems with each action step, in the order of the plan's actions."""
    problems: list[str] = []
    for number, action in enumerate(plan.actions, start=1):
        problems.extend(_one_action_problems(plan, number, action, active_member_ids))
    return problems


def _one_action_problems(plan: AccountPlan, number: int, action: ActionStep, active_member_ids: set[int]) -> list[str]:
    """Problems with action `number`: task, deadline, owner, progress, status and objective link."""
    problems: list[str] = []
    if not action.task.strip():
        problems.append(_("Action {n} has no task.").format(n=number))
    if action.deadline and plan.starts_on and action.deadline < plan.starts_on:
        problems.append(
            _("Action {n}: the deadline {deadline} is before the plan starts ({start}).").format(
                n=number, deadline=action.deadline.isoformat(), start=plan.starts_on.isoformat()
            )
        )
    # A finished step keeps the owner who did it, even one who has since left.
    if action.owner_id is not None and action.owner_id not in active_member_ids and action.status != "done":
        problems.append(
            _("Action {n}: {name} has left the team; choose another owner.").format(
                n=number, name=action.owner_name or "?"
            )
        )
    if not 0 <= action.progress <= 100:
        problems.append(_("Action {n}: progress is a percentage from 0 to 100.").format(n=number))
    if action.status not in dict(ACTION_STATUSES):
        problems.append(_("Action {n} has an unknown status.").format(n=number))
    if action.objective is not None and not 0 <= action.objective < len(plan.objectives):
        problems.append(_("Action {n} points at an objective that is not in the plan.").format(n=number))
    return problems


def _score_problems(plan: AccountPlan) -> list[str]:
    """Problems with the scored fields: intelligence grades, competitor preferences, share of spend."""
    problems: list[str] = []
    for number, note in enumerate(plan.intel, start=1):
        if note.grade not in INTEL_GRADES:
            problems.append(_("Intelligence note {n}: the grade is 1, 2, 3 or 4.").format(n=number))
    for competitor in plan.competitors:
        if competitor.preference is not None and not 1 <= competitor.preference <= 5:
            problems.append(_("{name}: the customer's preference is scored 1 to 5.").format(name=competitor.name))
    if plan.share_of_spend_pct is not None and not 0 <= plan.share_of_spend_pct <= 100:
        problems.append(_("Our share of their spend is a percentage from 0 to 100."))
    return problems


def validate_review(scores: dict[str, int]) -> list[str]:
    problems = []
    keys = dict(REVIEW_QUESTIONS)
    for key, value in scores.items():
        if key not in keys:
            problems.append(_("Unknown review question."))
        elif not 1 <= value <= 5:
            problems.append(_("Each answer is scored 1 to 5."))
    if not scores:
        problems.append(_("Score at least one question."))
    return problems


def _texts(plan: AccountPlan) -> list[str]:
    texts = [
        plan.summary,
        plan.vision,
        *plan.customer.values(),
        *plan.situation.values(),
        *vars(plan.customer_swot).values(),
        *vars(plan.our_swot).values(),
    ]
    for competitor in plan.competitors:
        texts += [str(v) for v in vars(competitor).values() if isinstance(v, str)]
    texts += [o.statement for o in plan.objectives] + [a.task for a in plan.actions] + [n.note for n in plan.intel]
    return texts
