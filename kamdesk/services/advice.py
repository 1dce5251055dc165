"""One account's judgement in one plain record (for `kamdesk advise`): how its class was computed, its strategy
with reasons, cost to serve, its people against target, its zipper findings and its latest plan's SMART findings.
Each part that cannot be worked out says why, and the rest is still given."""

from __future__ import annotations

import importlib
from typing import Any

from kamdesk.domain.classification import class_for_share
from kamdesk.domain.cost_to_serve import grade_label
from kamdesk.domain.enums import RankTier, RelationshipStage
from kamdesk.domain.org_map import stage_gap
from kamdesk.domain.plans import smart_missing
from kamdesk.domain.strategy import member
from kamdesk.i18n import N_, _


def _measure_text(measure: str, window: str) -> str:
    """The value the team ranks by, in words ("revenue, last 12 months")."""
    measures = {"revenue": _("Revenue"), "profit": _("Profit")}
    windows = {
        "latest_period": _("Latest period"),
        "trailing_12_months": _("Last 12 months"),
        "potential": _("Potential value"),
    }
    return _("{measure}, {window}").format(
        measure=measures.get(measure, measure).lower(), window=windows.get(window, window).lower()
    )


def _money(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def class_record(workspace: Any, detail: Any, context: Any) -> dict[str, Any]:
    """The class and how it was computed: value, rank among accounts, thresholds, and a pin with its reason."""
    settings = workspace.settings.load()
    thresholds = dict(settings.class_thresholds)
    computed = detail.computed_class
    if detail.value_cents is None or context.rank is None:
        explanation = _("Not ranked: no {measure} is recorded, so no class is computed.").format(
            measure=_measure_text(settings.value_measure, settings.value_window)
        )
    else:
        share = (context.rank - 1) * 100 / context.ranked
        by_share = class_for_share(share, thresholds)
        explanation = _(
            "Value {value} ({measure}) ranks {rank} of {ranked}: {share:.0f}% of accounts rank above it, and "
            "class {cls} runs up to {bound}% (A {a}%, B {b}%, C {c}%, D {d}%)."
        ).format(
            value=f"{detail.value_cents / 100:,.0f}",
            measure=_measure_text(settings.value_measure, settings.value_window),
            rank=context.rank,
            ranked=context.ranked,
            share=share,
            cls=by_share.value,
            bound=thresholds[by_share.value],
            a=thresholds["A"],
            b=thresholds["B"],
            c=thresholds["C"],
            d=thresholds["D"],
        )
    return {
        "class": detail.effective_class.value if detail.effective_class else None,
        "computed": computed.value if computed else None,
        "value": _money(detail.value_cents),
        "currency": settings.currency,
        "measure": settings.value_measure,
        "window": settings.value_window,
        "rank": context.rank,
        "ranked": context.ranked,
        "thresholds": thresholds,
        "pinned": detail.pinned_class.value if detail.pinned_class else None,
        "pin_reason": detail.pin_reason,
        "pinned_by": detail.pinned_by,
        "explanation": explanation,
    }


def contacts_record(workspace: Any, account_id: int) -> tuple[list[dict[str, Any]], Any]:
    """Their people with current stage, target and gap (largest gap first), and the org map data."""
    found = workspace.contacts.org_map(account_id)
    if found is None:
        return [], None
    data, analysis = found
    people = []
    for person in data.theirs:
        stage = member(RelationshipStage, person.stage) or RelationshipStage.STRANGER
        target = analysis.targets.get(person.id)
        rank = member(RankTier, person.rank_tier)
        people.append(
            {
                "id": person.id,
                "name": person.name,
                "title": person.title,
                "rank": person.rank_tier,
                "rank_label": rank.label if rank else "",
                "stage": stage.value,
                "stage_label": stage.label,
                "target": target.value if target else None,
                "target_label": target.label if target else "",
                "gap": stage_gap(stage, target),
            }
        )
    people.sort(key=lambda p: (-(p["gap"] or 0), p["name"]))
    return people, data


def zipper_record(workspace: Any, account_id: int, data: Any, reduced: bool = False) -> dict[str, Any]:
    """The zipper findings (helper 20b's checks through workspace.zipper), or why there are none; `reduced`: the
    account's strategy is to reduce it, so no new ties are asked for."""
    service = getattr(workspace, "zipper", None)
    try:
        if service is not None:
            findings = service.findings(account_id, reduced=reduced)
        elif data is None:
            findings = []
        else:
            checks = importlib.import_module("kamdesk.domain.zipper_checks")
            findings = checks.check_zipper(data, checks.ZipperThresholds.of(workspace.settings.load()), reduced=reduced)
    except ImportError:
        return {"unavailable": _("The zipper checks are not part of this version yet."), "findings": []}
    except ValueError as exc:  # thresholds out of order
        return {"unavailable": str(exc), "findings": []}
    return {
        "findings": [
            {
                "kind": f.kind,
                "severity": f.severity,
                "message": f.message,
                "suggestion": f.suggestion,
                "people": list(f.people),
                "share": f.share,
                "tier": f.tier,
            }
            for f in findings
        ]
    }


def smart_record(workspace: Any, account_id: int) -> dict[str, Any]:
    """The latest plan's objectives, each SMART letter with whether it holds and why (20b's checks when present,
    else only the fields still missing)."""
    plan_id = workspace.plans.find(account_id)
    plan = workspace.plans.get(plan_id) if plan_id is not None else None
    if plan is None:
        return {"plan": None, "objectives": []}
    plans = importlib.import_module("kamdesk.domain.plans")
    check = getattr(plans, "smart_findings", None)
    objectives = []
    note = ""
    for objective in plan.objectives:
        if callable(check):
            letters = [{"letter": f.letter, "ok": f.ok, "reason": f.reason} for f in check(objective, plan)]
        else:
            letters = [{"letter": "", "ok": False, "reason": text} for text in smart_missing(objective)]
            note = _("Only missing fields are checked (the fuller SMART checks are not in this version yet).")
        objectives.append(
            {
                "statement": objective.statement,
                "letters": letters,
                "failing": [
                    f"{x['letter']}: {x['reason']}" if x["letter"] else x["reason"] for x in letters if not x["ok"]
                ],
            }
        )
    return {"plan": plan.period, "objectives": objectives, "note": note}


#: Seed 004: a stingy customer (吝啬型) does not choose a supplier for the relationship, and little time should go
#: there; the relationship targets of its class are no call to invest.
STINGY_TARGETS = N_(
    "A stingy customer is not won by the relationship: do not spend time closing these gaps; stay within the time cap."
)


def _stingy(advice: Any) -> bool:
    return any(getattr(g, "value", g) == "not_key" for g in advice.guardrails)


def gather(workspace: Any, account_id: int) -> dict[str, Any]:
    """Everything `kamdesk advise` prints about one account; `problems` lists what is missing."""
    detail = workspace.accounts.get(account_id)
    context = workspace.accounts.strategy_context(account_id)
    advice = workspace.accounts.advice(account_id)
    problems: list[str] = []
    if detail.value_cents is None:
        problems.append(
            _("{name} has no value recorded: its class and rank cannot be computed.").format(name=detail.name)
        )
    people, data = contacts_record(workspace, account_id)
    if not people:
        problems.append(_("{name} has no contacts: there is nobody to set targets for.").format(name=detail.name))
    if not detail.team and detail.owner_id is None:
        problems.append(
            _("{name} has no account team and no owner: nobody of ours is tied to it.").format(name=detail.name)
        )
    cost = workspace.accounts.cost_to_serve(account_id)
    cost_record = None
    if cost is not None:
        figures, (watch, alarm) = cost
        cost_record = figures.as_record(watch, alarm)
        cost_record["grade_text"] = grade_label(cost_record["grade"])
    return {
        "account": {"id": account_id, "name": detail.name},
        "class": class_record(workspace, detail, context),
        "strategy": advice.as_record(),
        "cost_to_serve": cost_record,
        "contacts": people,
        "contacts_note": _(STINGY_TARGETS) if _stingy(advice) else "",
        "zipper": zipper_record(workspace, account_id, data, reduced=advice.group.value == "reduce"),
        "smart": smart_record(workspace, account_id),
        "problems": problems,
    }
