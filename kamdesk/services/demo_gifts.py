"""The demo book's gift catalogue and a few weeks of visits, so the Gifts & Visits tab has something real."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from kamdesk.domain.gift_vocabulary import suggest_item_tags
from kamdesk.domain.gifts import CatalogueItem, Visit
from kamdesk.services.gifts import GiftService
from kamdesk.storage import gifts as store
from kamdesk.storage.database import Database


def _item(
    name: str,
    kind: str,
    cost: int,
    supplier: str,
    story: str,
    origin: str = "",
    occasions: str = "",
    category: str = "",
) -> CatalogueItem:
    """A demo item tagged through the gift vocabulary, as the catalogue page would suggest it; `occasions`
    (codes, space-separated) and `category` are set where the team would choose for itself."""
    tags = suggest_item_tags(name, story, cost_cents=cost)
    return CatalogueItem(
        name,
        kind,
        cost,
        supplier,
        story,
        occasions=frozenset(occasions.split()) or tags.occasions,
        category=category or tags.category,
        attributes=tags.attributes,
        origin=origin,
    )


#: Every festival and kind of gift, with a few local specialities that carry their place and story.
CATALOGUE = (
    # Mid-Autumn (中秋): mooncakes for the broad list, crabs for the few
    _item("杏花楼广式月饼礼盒", "holiday", 188_00, "杏花楼", "上海老字号，莲蓉蛋黄与五仁", "上海", "mid_autumn"),
    _item("苏式鲜肉月饼", "holiday", 98_00, "光明邨", "现烤酥皮，鲜肉馅，要趁热送到", "上海", "mid_autumn"),
    _item("阳澄湖大闸蟹礼券", "holiday", 598_00, "阳澄湖蟹业合作社", "凭券秋季发货，八只装", "江苏苏州", "mid_autumn"),
    # Spring Festival (春节): a narrower list
    _item("金华火腿礼盒", "holiday", 368_00, "金华火腿厂", "三年陈腿，切片真空装", "浙江金华", "spring_festival"),
    _item("五常大米礼箱", "holiday", 298_00, "五常农场", "稻花香新米，十斤装", "黑龙江五常", "spring_festival"),
    _item("稻香村糕点礼盒", "holiday", 168_00, "稻香村", "北京老字号年货点心", "北京", "spring_festival"),
    _item("新疆坚果礼盒", "holiday", 138_00, "新疆特产店", "核桃、巴旦木、葡萄干", "新疆", "spring_festival everyday"),
    _item(
        "兰州百合",
        "holiday",
        168_00,
        "七里河百合合作社",
        "七里河的甜百合，兰州人过年待客的老味道",
        "甘肃兰州",
        "spring_festival mid_autumn",
        "speciality",
    ),
    # Dragon Boat (端午): zongzi, with a meat-free box for those who need one
    _item("嘉兴五芳斋粽子礼盒", "holiday", 128_00, "五芳斋", "鲜肉粽与蛋黄粽各半", "浙江嘉兴", "dragon_boat"),
    _item("豆沙素粽礼盒", "holiday", 88_00, "五芳斋", "豆沙与红枣馅，全素", "浙江嘉兴", "dragon_boat"),
    # Any festival
    _item("西湖龙井（明前）", "holiday", 480_00, "杭州龙井村合作社", "明前头采，附手写卡片", "浙江杭州"),
    _item("茅台飞天 53°", "holiday", 980_00, "贵州茅台专卖店", "酱香型白酒，只送喝酒的人", "贵州仁怀"),
    _item("张裕解百纳干红", "holiday", 268_00, "张裕酒业", "烟台产区，两支装", "山东烟台"),
    _item(
        "宁夏枸杞礼盒",
        "holiday",
        158_00,
        "中宁枸杞合作社",
        "头茬枸杞，泡茶煲汤皆宜",
        "宁夏中宁",
        "any_festival everyday",
    ),
    # Everyday: small, useful, for ordinary staff at no fixed time
    _item("云南普洱茶饼", "everyday", 128_00, "勐海茶厂", "可久存，越放越醇", "云南勐海", "everyday any_festival"),
    _item("本地时令水果", "everyday", 80_00, "水果店", "当季第一批"),
    _item("挂耳咖啡礼盒", "everyday", 68_00, "本地烘焙坊", "十二包装，办公室提神"),
    _item("凤梨酥礼盒", "everyday", 78_00, "台湾特产店", "酥皮凤梨馅，十二枚", "台湾"),
    _item("定制笔记本与钢笔", "everyday", 88_00, "文具公司", "印有我司标志"),
    _item("真空保温杯", "everyday", 99_00, "家居店", "五百毫升，可刻名字"),
    # Special: chosen for the person's taste, not its price
    _item("宜兴紫砂壶", "special", 1_600_00, "宜兴丁蜀镇", "名家手作，附作者证书", "江苏宜兴"),
    _item("景德镇青花茶具", "special", 1_200_00, "景德镇", "适合爱喝茶的客户", "江西景德镇"),
    _item("围棋云子套装", "special", 900_00, "云南永子", "给爱下围棋的人", "云南保山"),
    _item("高尔夫球礼盒", "special", 680_00, "运动用品店", "一打职业级球，附定制标记"),
    _item("海钓竿套装", "special", 760_00, "渔具店", "碳素竿配渔轮，给爱钓鱼的人"),
    _item("湖笔徽墨文房四宝", "special", 880_00, "湖州笔庄", "湖笔、徽墨、宣纸、端砚", "浙江湖州"),
)

PURPOSES = ("季度业务回顾", "新产品介绍", "合同续签沟通", "答谢晚宴", "技术交流", "年度计划对齐")


def add_demo_gifts(db: Database, today: dt.date, seed: int) -> tuple[int, int]:
    """Write the catalogue and visits for the next six weeks; returns (catalogue items, visits)."""
    rng = random.Random(seed + 13)
    with db.write() as session:
        for item in CATALOGUE:
            store.save_catalogue_item(session, replace(item))
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
