"""The demo book's gift catalogue and a few weeks of visits, so the Gifts & Visits tab has something real."""

from __future__ import annotations

import datetime as dt
import random

from kamdesk.domain.gifts import CatalogueItem, Visit
from kamdesk.services.gifts import GiftService
from kamdesk.storage import gifts as store
from kamdesk.storage.database import Database

CATALOGUE = (
    CatalogueItem("杏花楼月饼礼盒", "holiday", 188_00, "杏花楼", "上海老字号，广式月饼"),
    CatalogueItem("稻香村糕点礼盒", "holiday", 168_00, "稻香村", "北京老字号"),
    CatalogueItem("西湖龙井（明前）", "holiday", 480_00, "杭州龙井村合作社", "明前头采，附手写卡片"),
    CatalogueItem("五常大米礼箱", "holiday", 298_00, "五常农场", "东北五常稻花香"),
    CatalogueItem("茅台飞天 53°", "holiday", 980_00, "贵州茅台专卖店", "只送不忌酒的人"),
    CatalogueItem("新疆干果礼盒", "everyday", 98_00, "新疆特产店", "核桃、红枣、葡萄干"),
    CatalogueItem("云南普洱茶饼", "everyday", 128_00, "勐海茶厂", "可久存"),
    CatalogueItem("本地时令水果", "everyday", 80_00, "水果店", "当季第一批"),
    CatalogueItem("宜兴紫砂壶", "special", 1_600_00, "宜兴丁蜀镇", "名家手作，附作者证书"),
    CatalogueItem("景德镇青花茶具", "special", 1_200_00, "景德镇", "适合喜欢喝茶的客户"),
    CatalogueItem("围棋云子套装", "special", 900_00, "云南永子", "给爱下围棋的人"),
)
PURPOSES = ("季度业务回顾", "新产品介绍", "合同续签沟通", "答谢晚宴", "技术交流", "年度计划对齐")


def add_demo_gifts(db: Database, today: dt.date, seed: int) -> tuple[int, int]:
    """Write the catalogue and visits for the next six weeks; returns (catalogue items, visits)."""
    rng = random.Random(seed + 13)
    with db.write() as session:
        for item in CATALOGUE:
            store.save_catalogue_item(
                session, CatalogueItem(item.item, item.kind, item.unit_cost_cents, item.supplier, item.notes)
            )
        people = [r for r in store.recipients(session) if r.account_class in ("A", "B") and r.member_id]
    # Through the service, as the Visits page saves them, so each planned visit is on its planner's agenda.
    visits = GiftService(db)
    count = 0
    for person in rng.sample(people, min(len(people), 24)):
        day = today + dt.timedelta(days=rng.randrange(1, 42))
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
        kind = rng.choice(("visit", "visit", "meal", "entertainment" if person.account_class == "A" else "visit"))
        hour = 18 if kind in ("meal", "entertainment") else rng.choice((9, 10, 14, 15))
        visits.save_visit(
            Visit(
                dt.datetime.combine(day, dt.time(hour, rng.choice((0, 30)))),
                kind,
                person.account_id,
                person.contact_id,
                "",
                person.member_id,
                "",
                rng.choice(PURPOSES),
                kind == "meal",
                "",
                "",
                rng.choice((2, 4, 6)) if kind == "meal" else 0,
                {"visit": 0, "meal": 1_200_00, "entertainment": 3_000_00}.get(kind, 0),
            )
        )
        count += 1
    return len(CATALOGUE), count
