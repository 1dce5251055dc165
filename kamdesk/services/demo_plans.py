"""Account plans for the demo book: the class A accounts get a current plan with every section filled."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from kamdesk.domain.plans import (
    AccountPlan,
    ActionStep,
    Competitor,
    IntelNote,
    Objective,
    RevenueLine,
    Swot,
)
from kamdesk.storage import plans as plan_store
from kamdesk.storage import repositories as repo
from kamdesk.storage.database import Database

COMPETITORS = ("华东工业服务", "德瑞科技", "恒信供应链", "联创设备", "Siemens")
TASKS = (
    "拜访采购总监，了解明年预算",
    "提交第二版技术方案",
    "安排高层互访",
    "组织工厂参观",
    "完成年度框架合同谈判",
    "收集招标文件并准备应标",
    "客户满意度回访",
    "培训客户操作人员",
    "整理竞品报价对比",
    "中秋节礼品与拜访安排",
)
#: How far ahead the agenda looks for the plans' open steps.
AHEAD = dt.timedelta(days=60)


@dataclass(frozen=True)
class PlanStep:
    """An open step of a demo plan coming up soon: who does what by when, and what it serves."""

    account_id: int
    owner_id: int | None
    task: str
    deadline: dt.date
    period: str
    objective: str


OBJECTIVES = (
    ("年度销售额达到目标", "签约金额（万元）", "1200"),
    ("进入第二条产品线的合格供应商名单", "供应商名单", "通过审核"),
    ("提升决策层关系至好朋友", "关系阶段", "好朋友"),
    ("份额提高到采购总额的 35%", "采购份额", "35%"),
)


def add_demo_plans(
    db: Database, today: dt.date, seed: int, limit: int = 200, steps_ahead: list[PlanStep] | None = None
) -> int:
    """Write a plan for the current year to up to `limit` class A accounts; returns how many.

    The open steps due in the next 60 days are added to `steps_ahead`, for the agenda.
    """
    rng = random.Random(seed + 9)
    with db.read() as session:
        members = [m for m in repo.team_members(session) if m.active]
        accounts = plan_store.accounts_of_class(session, "A", limit)
    if not members or not accounts:
        return 0
    year = today.year
    with db.write() as session:
        for account_id, cycle in accounts:
            owner = rng.choice(members)
            objectives = [
                Objective(s, m, t, dt.date(year, rng.choice((6, 9, 12)), 28), rng.choice(members).id)
                for s, m, t in rng.sample(OBJECTIVES, 3)
            ]
            actions = []
            first_day = dt.date(year, 1, 1) + dt.timedelta(days=20)
            for index, task in enumerate(rng.sample(TASKS, 6)):
                # Spread over the year so far and the weeks ahead; the first step is always coming up soon.
                if index == 0:
                    deadline = today + dt.timedelta(days=rng.randrange(3, 50))
                else:
                    deadline = first_day + dt.timedelta(days=rng.randrange(0, max((today - first_day).days + 60, 1)))
                status = (
                    "done"
                    if deadline < today - dt.timedelta(days=30)
                    else rng.choice(("not_started", "in_progress", "in_progress", "blocked"))
                )
                actions.append(
                    ActionStep(
                        task,
                        rng.choice(members).id,
                        "",
                        deadline,
                        status,
                        100 if status == "done" else rng.choice((0, 20, 50, 70)),
                        index % len(objectives),
                        "demo" if status == "done" else "",
                        deadline if status == "done" else None,
                    )
                )
            target = rng.randrange(400, 2000) * 1_000_000
            revenue = [
                RevenueLine(
                    f"{year}-Q{q}",
                    target // 4,
                    int(target // 4 * rng.uniform(0.7, 1.2)) if dt.date(year, 3 * q, 28) <= today else None,
                    rng.choice((18.0, 22.5, 25.0)),
                    int(target // 4 * 0.2) if dt.date(year, 3 * q, 28) <= today else None,
                )
                for q in range(1, 5)
            ]
            plan = AccountPlan(
                account_id=account_id,
                period=f"FY{year}",
                starts_on=dt.date(year, 1, 1),
                ends_on=dt.date(year, 12, 31),
                summary="巩固主力供应商地位，扩大在新产线的份额；重点维护决策层关系，防范竞争对手低价切入。",
                customer={
                    "business": "区域龙头，主营业务稳定增长。",
                    "needs": "降低停机时间；缩短交期；本地化服务。",
                    "key_people": "总经理、采购总监、技术部经理",
                    "buying_process": "技术部提需求 → 采购比价 → 总经理审批；金额超过 100 万元须招标。",
                },
                customer_swot=Swot("品牌好，现金流稳定", "决策链长，审批慢", "新产线明年投产", "行业价格战"),
                competitors=[
                    Competitor(
                        name,
                        "有少量订单往来",
                        "本地服务团队",
                        "低价抢单",
                        "价格低",
                        "交期不稳",
                        "认为其性价比高",
                        rng.randint(1, 5),
                    )
                    for name in rng.sample(COMPETITORS, 2)
                ],
                situation={
                    "our_business": "三年合作，主力供应商之一。",
                    "who_favours_us": "技术部经理、采购主管",
                    "strengths_seen": "质量稳定、响应快",
                    "weaknesses_seen": "价格偏高",
                },
                share_of_spend_pct=float(rng.randrange(15, 60)),
                cycle_stage=cycle,
                our_swot=Swot("技术方案强", "价格无优势", "新产线设备招标", "竞品低价"),
                vision="三年内成为客户首选的战略合作伙伴。",
                objectives=objectives,
                actions=actions,
                revenue=revenue,
                intel=[
                    IntelNote(3, "明年预算预计增加 15%，重点在自动化改造。", "采购主管", today - dt.timedelta(days=40))
                ],
                owner_id=owner.id,
            )
            plan_store.save_plan(session, plan, "demo", today)
            if steps_ahead is not None:
                steps_ahead.extend(
                    PlanStep(
                        account_id,
                        step.owner_id,
                        step.task,
                        step.deadline,
                        plan.period,
                        objectives[step.objective].statement if step.objective is not None else "",
                    )
                    for step in actions
                    if step.status != "done" and step.deadline and today <= step.deadline <= today + AHEAD
                )
    return len(accounts)
