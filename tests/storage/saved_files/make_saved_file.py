"""Write saved_files/schema-N.kamdb: a small team file at today's schema, for future migration tests.

Run once per schema version, from the project root, before the migration that replaces it:
`python tests/storage/saved_files/make_saved_file.py`. Never regenerate an existing file: the
point is to keep the bytes an older kamdesk wrote. test_migrations.py checks every saved file.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from kamdesk.domain.names import search_keys  # noqa: E402
from kamdesk.storage.migrate import head_version  # noqa: E402
from kamdesk.storage.opening import open_database  # noqa: E402
from kamdesk.storage.tables import (  # noqa: E402
    AccountPlanRow,
    AccountRow,
    AccountValueRow,
    ActivityRow,
    ContactRow,
    GiftCatalogueRow,
    GiftRow,
    LinkRow,
    PlanActionRow,
    PlanObjectiveRow,
    PlanReviewRow,
    SettingRow,
    TeamMemberRow,
    VisitRow,
)


def main() -> int:
    out = Path(__file__).resolve().parent / f"schema-{head_version()}.kamdb"
    if out.exists():
        print(f"{out} exists; saved files are never regenerated", file=sys.stderr)
        return 1
    db = open_database(out, "saved-file", create=True)
    try:
        with db.write() as session:
            member = TeamMemberRow(name="单雄信", title="客户经理", rank_tier="manager", role="account_manager")
            member.name_pinyin, member.name_initials = search_keys(member.name, person=True)
            account = AccountRow(
                name="中国移动",
                city="北京",
                value_cents=123_456_789,
                computed_class="A",
                sales_stage="formal",
                notes="保存的样本 <b>&amp;</b>",
            )
            account.name_pinyin, account.name_initials = search_keys(account.name)
            session.add_all([member, account])
            session.flush()
            account.owner_id = member.id
            contact = ContactRow(
                account_id=account.id,
                name="曾国藩",
                rank_tier="owner",
                relationship_stage="good_friend",
                birthday_calendar="lunar",
                birthday_month=10,
                birthday_day=11,
                birthday_leap_month=False,
            )
            contact.name_pinyin, contact.name_initials = search_keys(contact.name, person=True)
            session.add(contact)
            session.flush()
            session.add_all(
                [
                    AccountValueRow(
                        account_id=account.id,
                        period="2026",
                        period_start=dt.date(2026, 1, 1),
                        period_end=dt.date(2026, 12, 31),
                        revenue_cents=123_456_789,
                        profit_cents=2_345_678,
                    ),
                    LinkRow(member_id=member.id, contact_id=contact.id, relationship_stage="good_friend"),
                    ActivityRow(
                        kind="visit",
                        status="done",
                        account_id=account.id,
                        contact_id=contact.id,
                        member_id=member.id,
                        occurred_at=dt.datetime(2026, 3, 4, 5, 6),
                        subject="拜访",
                    ),
                    GiftRow(
                        kind="holiday",
                        item="月饼",
                        value_cents=38_800,
                        given_on=dt.date(2026, 9, 25),
                        account_id=account.id,
                        contact_id=contact.id,
                        member_id=member.id,
                    ),
                    SettingRow(key="team", value_json=json.dumps({"currency": "CNY"})),
                    AccountPlanRow(
                        account_id=account.id,
                        period="FY2026",
                        starts_on=dt.date(2026, 1, 1),
                        ends_on=dt.date(2026, 12, 31),
                        owner_id=member.id,
                        content_json=json.dumps(
                            {"summary": "稳住份额 <b>&</b>", "vision": "首选伙伴"}, ensure_ascii=False
                        ),
                    ),
                ]
            )
            session.flush()
            plan_id = session.scalars(select(AccountPlanRow.id)).one()
            objective = PlanObjectiveRow(
                plan_id=plan_id,
                statement="份额提高到 40%",
                measure="份额",
                target_value="40%",
                due_on=dt.date(2026, 12, 31),
                owner_id=member.id,
            )
            session.add(objective)
            session.flush()
            session.add_all(
                [
                    PlanActionRow(
                        plan_id=plan_id,
                        task="拜访采购总监",
                        owner_id=member.id,
                        deadline=dt.date(2026, 3, 1),
                        status="done",
                        progress=100,
                        objective_id=objective.id,
                        done_by="单雄信",
                        done_on=dt.date(2026, 3, 1),
                    ),
                    PlanReviewRow(
                        plan_id=plan_id,
                        reviewed_on=dt.date(2026, 6, 30),
                        scores_json='{"doing": 4}',
                        reviewed_by="单雄信",
                    ),
                    GiftCatalogueRow(
                        item="中秋月饼礼盒 <b>",
                        kind="holiday",
                        unit_cost_cents=38_800,
                        supplier="杏花楼",
                        notes="上海老字号",
                    ),
                    GiftRow(
                        kind="holiday",
                        item="中秋月饼礼盒",
                        value_cents=38_800,
                        given_on=dt.date(2026, 9, 20),
                        account_id=account.id,
                        contact_id=contact.id,
                        member_id=member.id,
                        status="planned",
                        delivery="courier_card",
                        planned_key="mid_autumn:2026:1",
                    ),
                    VisitRow(
                        kind="meal",
                        status="done",
                        starts_at=dt.datetime(2026, 5, 6, 18, 30),
                        account_id=account.id,
                        contact_id=contact.id,
                        member_id=member.id,
                        purpose="答谢",
                        plan_meal=True,
                        headcount=4,
                        budget_cents=120_000,
                        outcome="顺利",
                    ),
                ]
            )
    finally:
        db.dispose()
    conn = sqlite3.connect(out)
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
