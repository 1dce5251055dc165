"""Realistic, deterministic demo data: a Chinese B2B sales team, its accounts, people and history."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import accumulate
from statistics import NormalDist
from typing import Any

from kamdesk.domain import clock
from kamdesk.domain.accounts import Period, PeriodValue, measured_value
from kamdesk.domain.classification import classify
from kamdesk.domain.enums import (
    ActivityKind,
    ActivityStatus,
    Attractiveness,
    BuyingRole,
    CalendarKind,
    CycleStage,
    GiftDirection,
    GiftKind,
    PersonalityType,
    RankTier,
    RelationshipStage,
    RelationshipState,
    RelationshipType,
    SalesStage,
    TeamRole,
)
from kamdesk.domain.gift_vocabulary import (
    format_tags,
    like_conflicts,
    suggest_contact_tags,
    suggest_like_tags,
    suggest_taboo_tags,
)
from kamdesk.domain.names import search_keys

Row = dict[str, Any]
Chunks = Iterator[list[Row]]

DEFAULT_SEED = 88
CHUNK_ROWS = 5_000
DEMO_USER = "demo"
OUR_DOMAIN = "hengxin-tech.example.com"


class DemoSize(StrEnum):
    SMALL = "small"
    LARGE = "large"


@dataclass(frozen=True)
class DemoSpec:
    """How much of everything one demo size holds (counts are targets; the plan lands near them)."""

    accounts: int
    contacts: int
    activities: int
    gifts: int
    years: int
    team: int
    prospect_share: float
    bow_ties: int
    pins: int


SPECS: dict[DemoSize, DemoSpec] = {
    DemoSize.SMALL: DemoSpec(
        accounts=60, contacts=400, activities=2_500, gifts=250, years=3, team=8, prospect_share=0.1, bow_ties=3, pins=2
    ),
    DemoSize.LARGE: DemoSpec(
        accounts=3_000,
        contacts=30_000,
        activities=300_000,
        gifts=30_000,
        years=10,
        team=15,
        prospect_share=0.08,
        bow_ties=120,
        pins=30,
    ),
}

#: Tables in an order that satisfies every foreign key (parents first).
TABLE_ORDER: tuple[str, ...] = (
    "team_members",
    "accounts",
    "account_values",
    "account_team",
    "contacts",
    "contact_stage_history",
    "family_members",
    "personal_dates",
    "links",
    "activities",
    "gifts",
)

# Pools ---------------------------------------------------------------------------------------

#: (city, province, telephone area code); the weight favours the manufacturing hubs.
CITIES: tuple[tuple[str, str, str, int], ...] = (
    ("上海", "上海", "021", 9),
    ("深圳", "广东", "0755", 8),
    ("苏州", "江苏", "0512", 8),
    ("北京", "北京", "010", 6),
    ("广州", "广东", "020", 6),
    ("杭州", "浙江", "0571", 6),
    ("南京", "江苏", "025", 5),
    ("无锡", "江苏", "0510", 5),
    ("东莞", "广东", "0769", 5),
    ("宁波", "浙江", "0574", 4),
    ("天津", "天津", "022", 4),
    ("成都", "四川", "028", 4),
    ("武汉", "湖北", "027", 4),
    ("青岛", "山东", "0532", 3),
    ("佛山", "广东", "0757", 3),
    ("重庆", "重庆", "023", 3),
    ("西安", "陕西", "029", 3),
    ("常州", "江苏", "0519", 3),
    ("合肥", "安徽", "0551", 3),
    ("长沙", "湖南", "0731", 2),
    ("厦门", "福建", "0592", 2),
    ("郑州", "河南", "0371", 2),
    ("济南", "山东", "0531", 2),
    ("大连", "辽宁", "0411", 2),
    ("沈阳", "辽宁", "024", 2),
    ("兰州", "甘肃", "0931", 2),
    ("南通", "江苏", "0513", 2),
    ("嘉兴", "浙江", "0573", 2),
    ("温州", "浙江", "0577", 1),
    ("珠海", "广东", "0756", 1),
    ("中山", "广东", "0760", 1),
    ("福州", "福建", "0591", 1),
    ("昆明", "云南", "0871", 1),
    ("长春", "吉林", "0431", 1),
    ("哈尔滨", "黑龙江", "0451", 1),
    ("南昌", "江西", "0791", 1),
    ("贵阳", "贵州", "0851", 1),
    ("南宁", "广西", "0771", 1),
    ("太原", "山西", "0351", 1),
    ("石家庄", "河北", "0311", 1),
    ("烟台", "山东", "0535", 1),
    ("乌鲁木齐", "新疆", "0991", 1),
)
CITY_EN = {
    "上海": "Shanghai",
    "深圳": "Shenzhen",
    "苏州": "Suzhou",
    "北京": "Beijing",
    "广州": "Guangzhou",
    "杭州": "Hangzhou",
    "南京": "Nanjing",
    "无锡": "Wuxi",
    "天津": "Tianjin",
    "成都": "Chengdu",
    "武汉": "Wuhan",
    "青岛": "Qingdao",
    "大连": "Dalian",
    "宁波": "Ningbo",
    "西安": "Xi'an",
    "重庆": "Chongqing",
    "常州": "Changzhou",
    "佛山": "Foshan",
}
MUNICIPALITIES = frozenset({"上海", "北京", "天津", "重庆"})
HOMETOWNS: tuple[str, ...] = (
    "兰州",
    "天水",
    "西安",
    "宝鸡",
    "洛阳",
    "开封",
    "南阳",
    "衡阳",
    "赣州",
    "绵阳",
    "温州",
    "泉州",
    "潮州",
    "汕头",
    "黄冈",
    "邯郸",
    "临沂",
    "盐城",
    "六安",
    "长沙",
    "成都",
    "重庆",
    "武汉",
    "哈尔滨",
    "沈阳",
    "大连",
    "青岛",
    "济南",
    "合肥",
    "南昌",
    "福州",
    "昆明",
    "贵阳",
    "太原",
    "石家庄",
    "上海",
    "北京",
    "苏州",
    "杭州",
    "宁波",
    "扬州",
    "绍兴",
    "桂林",
    "遵义",
    "延安",
    "银川",
    "西宁",
    "呼和浩特",
)
REGIONS = ("华东", "华南", "华北", "华中", "西北", "西南", "东北", "江南", "中原")
BRAND_WORDS = (
    "宏达",
    "恒远",
    "华信",
    "鑫泰",
    "永盛",
    "金桥",
    "瑞丰",
    "天成",
    "博远",
    "众诚",
    "凯旋",
    "富通",
    "嘉禾",
    "联创",
    "盛华",
    "华锐",
    "海纳",
    "远航",
    "东升",
    "汇通",
    "万和",
    "立信",
    "昌盛",
    "明辉",
    "鼎盛",
    "安捷",
    "启明",
    "星河",
    "新纪元",
    "佳和",
    "卓越",
    "同创",
    "华强",
    "润泽",
    "天宇",
    "顺昌",
    "德信",
    "亿达",
    "银河",
    "百川",
    "正通",
    "和信",
    "锦程",
    "宇航",
    "科恒",
    "长城",
    "中远",
    "金鹰",
    "华美",
    "海天",
)
#: (the word in the company name, the industry shown on the account)
INDUSTRIES: tuple[tuple[str, str], ...] = (
    ("电子科技", "电子"),
    ("精密机械", "机械制造"),
    ("汽车零部件", "汽车零部件"),
    ("医疗器械", "医疗器械"),
    ("新材料", "新材料"),
    ("光电科技", "光电"),
    ("自动化设备", "自动化"),
    ("智能装备", "智能制造"),
    ("模具", "模具"),
    ("塑胶制品", "塑料制品"),
    ("五金制品", "五金"),
    ("化工", "化工"),
    ("制药", "医药"),
    ("食品", "食品饮料"),
    ("包装材料", "包装"),
    ("电气", "电气设备"),
    ("通信设备", "通信"),
    ("环保科技", "环保"),
    ("新能源", "新能源"),
    ("半导体", "半导体"),
    ("纺织", "纺织"),
    ("家电", "家电"),
    ("物流", "物流"),
    ("建材", "建材"),
    ("精密铸造", "机械制造"),
    ("液压", "机械制造"),
)
SUFFIXES = (("有限公司", 6), ("股份有限公司", 2), ("有限责任公司", 1), ("集团有限公司", 1))
#: International customers' Chinese subsidiaries: (brand and division, industry).
INTERNATIONAL: tuple[tuple[str, str], ...] = (
    ("Bosch Automotive", "汽车零部件"),
    ("Siemens Healthineers", "医疗器械"),
    ("Schneider Electric", "电气设备"),
    ("ABB Robotics", "自动化"),
    ("Continental Automotive", "汽车零部件"),
    ("Philips Lighting", "光电"),
    ("Honeywell Aerospace", "航空航天"),
    ("BASF Chemicals", "化工"),
    ("Panasonic Appliances", "家电"),
    ("Murata Electronics", "电子"),
    ("TE Connectivity", "电子"),
    ("SKF Bearings", "机械制造"),
    ("Medtronic", "医疗器械"),
    ("Henkel Adhesives", "化工"),
    ("Valeo Lighting Systems", "汽车零部件"),
    ("Emerson Automation", "自动化"),
    ("Samsung SDI", "新能源"),
    ("Denso", "汽车零部件"),
    ("Omron Industrial", "自动化"),
    ("Delta Electronics", "电子"),
    ("Mitsubishi Electric", "电气设备"),
    ("Danfoss Drives", "电气设备"),
    ("Philips Healthcare", "医疗器械"),
    ("Festo", "自动化"),
)
#: State-owned groups and their local companies: (name template, industry).
STATE_OWNED: tuple[tuple[str, str], ...] = (
    ("中国移动通信集团{province}有限公司", "通信"),
    ("中国电信股份有限公司{city}分公司", "通信"),
    ("中国联通{city}市分公司", "通信"),
    ("国网{province}电力有限公司", "电力"),
    ("中国石化{city}石油分公司", "能源化工"),
    ("中车{city}机车车辆有限公司", "轨道交通"),
    ("{city}地铁集团有限公司", "轨道交通"),
    ("{city}市第一人民医院", "医疗"),
    ("中国建筑{city}分公司", "建筑"),
    ("中国烟草{province}工业有限责任公司", "烟草"),
)
ACCOUNT_NOTES = (
    "年度框架协议每年3月续签",
    "正在评估第二供应商",
    "集团统一采购，需走招标流程",
    "对交期非常敏感",
    "付款周期90天",
    "新建工厂投产，需求增长明显",
    "竞争对手报价低约10%",
    "新供应商认证周期约6个月",
    "采购权上收到集团总部",
    "质量部门话语权大",
    "",
)
PIN_REASONS = (
    "新能源赛道客户，新工厂投产后潜力大，按高一级资源投入",
    "集团总部指定的战略合作伙伴，重点发展",
    "行业标杆客户，有示范效应",
    "付款风险高，暂按低一级管理",
    "客户正在整合供应商，需要重点维护",
)

# Chinese names -------------------------------------------------------------------------------
_SURNAME_TEXT = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
#: Surnames with a weight falling off with frequency; the surname-reading cases are kept visible.
SURNAMES: tuple[tuple[str, float], ...] = tuple(
    [(s, 8.0 / (1 + i / 6)) for i, s in enumerate(_SURNAME_TEXT)]
    + [(s, 1.2) for s in ("曾", "单", "解", "仇", "区", "朴", "查", "翟", "缪", "纪")]
    + [(s, 0.5) for s in ("欧阳", "司马", "上官", "诸葛")]
)
#: Surnames whose reading differs from the character's everyday one, so search by pinyin shows it.
SHOWCASE_SURNAMES = ("单", "曾", "解", "仇", "区", "朴")
MALE_GIVEN = (
    "伟",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "斌",
    "鹏",
    "飞",
    "刚",
    "辉",
    "浩",
    "宇",
    "凯",
    "健",
    "峰",
    "建华",
    "建国",
    "志强",
    "志明",
    "国强",
    "海涛",
    "晓东",
    "文博",
    "俊杰",
    "振宇",
    "德华",
    "永刚",
    "立新",
    "卫东",
    "宏伟",
    "小龙",
    "家豪",
    "博文",
    "思远",
    "一鸣",
    "东升",
    "子轩",
    "国栋",
    "明轩",
    "浩然",
)
FEMALE_GIVEN = (
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "艳",
    "娟",
    "霞",
    "婷",
    "雪",
    "琳",
    "颖",
    "倩",
    "洁",
    "燕",
    "玲",
    "秀英",
    "桂英",
    "秀兰",
    "晓燕",
    "丽娟",
    "海燕",
    "美玲",
    "雅琴",
    "欣怡",
    "梓涵",
    "思琪",
    "佳慧",
    "雨婷",
    "晓雯",
    "淑芬",
    "玉兰",
    "春梅",
    "文静",
    "慧敏",
    "诗雨",
    "晓红",
    "丽萍",
    "若曦",
    "佳怡",
)
EXPATS = (
    ("Thomas", "Müller"),
    ("Anna", "Schmidt"),
    ("Michael", "Weber"),
    ("Kenji", "Tanaka"),
    ("Hiroshi", "Sato"),
    ("Pierre", "Dubois"),
    ("James", "Wilson"),
    ("Lars", "Andersson"),
    ("Min-jun", "Kim"),
    ("Sophie", "Laurent"),
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
)

# Titles, roles and personal file -------------------------------------------------------------
TITLES: dict[RankTier, tuple[str, ...]] = {
    RankTier.OWNER: ("副总经理", "副总裁", "常务副总", "厂长"),
    RankTier.MANAGER: (
        "采购经理",
        "技术总监",
        "研发总监",
        "生产经理",
        "质量经理",
        "供应链总监",
        "项目经理",
        "财务总监",
        "采购总监",
        "工程部经理",
    ),
    RankTier.STAFF: (
        "采购工程师",
        "采购员",
        "工艺工程师",
        "研发工程师",
        "质量工程师",
        "生产主管",
        "设备工程师",
        "技术员",
        "仓储主管",
        "测试工程师",
    ),
    RankTier.CLERK: ("文员", "总经理助理", "采购助理", "行政助理", "前台", "仓库文员"),
}
TOP_TITLES = ("总经理", "董事长", "总裁", "总经理")
_BR = BuyingRole
BUYING_ROLES: dict[RankTier, tuple[tuple[BuyingRole | None, float], ...]] = {
    RankTier.OWNER: ((_BR.DECISION_MAKER, 7), (_BR.ADVISOR, 1), (_BR.SUPPORTER, 1), (None, 1)),
    RankTier.MANAGER: (
        (_BR.DECISION_MAKER, 2.5),
        (_BR.ADVISOR, 2),
        (_BR.USER, 2.5),
        (_BR.SUPPORTER, 1.5),
        (_BR.GATEKEEPER, 1),
        (None, 0.5),
    ),
    RankTier.STAFF: ((_BR.USER, 4), (_BR.GATEKEEPER, 2.5), (_BR.ADVISOR, 1), (_BR.SUPPORTER, 1), (None, 1.5)),
    RankTier.CLERK: ((_BR.GATEKEEPER, 3.5), (_BR.USER, 2), (_BR.OUTSIDER, 1), (None, 3.5)),
}
INTERESTS = (
    "高尔夫",
    "钓鱼",
    "羽毛球",
    "乒乓球",
    "登山",
    "徒步",
    "摄影",
    "茶道",
    "书法",
    "跑步",
    "马拉松",
    "自驾游",
    "足球",
    "篮球",
    "围棋",
    "象棋",
    "红酒",
    "收藏紫砂壶",
    "读书",
    "京剧",
    "游泳",
    "骑行",
    "露营",
    "健身",
    "烹饪",
    "旅游",
)
PREFERENCES = (
    "喜欢喝普洱茶",
    "爱喝龙井",
    "爱吃川菜",
    "偏爱粤菜",
    "喜欢吃火锅",
    "白酒只喝酱香型",
    "喜欢红酒",
    "喜欢安静的包间",
    "习惯上午开会",
    "喜欢喝咖啡",
    "爱吃海鲜",
    "喜欢西北面食",
    "喜欢甜点",
    "爱吃兰州牛肉面",
)
TABOOS = (
    "不喝酒",
    "不吃辣",
    "不吃牛肉",
    "海鲜过敏",
    "忌送钟表",
    "素食",
    "不喜欢饭桌上谈工作",
    "回族，饮食清真",
    "糖尿病，不吃甜食",
    "不收贵重礼品",
)


def _consistent(chosen: list[str], pool: tuple[str, ...], taboo_tags: frozenset[str]) -> list[str]:
    """`chosen` with each taste the taboo forbids swapped for the next one in `pool` that it allows
    (no one both loves Sichuan food and eats nothing spicy); no random draw, so the demo stays the same."""
    out: list[str] = []
    for taste in chosen:
        start = pool.index(taste)
        for step in range(len(pool)):
            candidate = pool[(start + step) % len(pool)]
            if candidate not in out and not like_conflicts(suggest_like_tags(candidate), taboo_tags):
                out.append(candidate)
                break
    return out


def _tastes(interests: list[str], preferences: list[str], taboos: str) -> dict[str, str]:
    """A contact's interests, likes and taboos that agree with each other, with their tags."""
    taboo_tags = suggest_taboo_tags(taboos, bare_means_taboo=True)
    text = {
        "interests": "、".join(_consistent(interests, INTERESTS, taboo_tags)),
        "preferences": "；".join(_consistent(preferences, PREFERENCES, taboo_tags)),
        "taboos": taboos,
    }
    likes, refused = suggest_contact_tags(text["interests"], text["preferences"], taboos)
    return {**text, "like_tags": format_tags(likes), "taboo_tags": format_tags(refused)}


CONTACT_NOTES = (
    "新近升任部门负责人",
    "孩子今年高考",
    "做过手术，饭局注意饮酒",
    "原在竞争对手公司任职",
    "对质量要求非常严格",
    "喜欢数据说话，汇报要带报表",
    "决策前会征求技术部意见",
    "父亲住院，近期少打扰",
    "刚调到本部门",
    "老家在甘肃，关心当地天气灾害",
)
FAMILY_NOTES: dict[str, tuple[str, ...]] = {
    "配偶": ("", "", "", "在银行工作", "中学老师", "喜欢瑜伽"),
    "儿子": ("", "", "在读大学", "今年高考", "刚上小学", "喜欢踢足球"),
    "女儿": ("", "", "在读大学", "今年中考", "学钢琴", "喜欢画画"),
    "父亲": ("", "", "身体不太好", "退休教师", "住在老家"),
    "母亲": ("", "", "身体不太好", "退休医生", "住在老家"),
}
PERSONAL_DATES = (("结婚纪念日", 5), ("入职纪念日", 2), ("创业纪念日", 1), ("升职纪念日", 1))
STAGE_REASONS = (
    "多次拜访后建立信任",
    "一起参加行业展会",
    "帮助解决了质量问题",
    "家人生病时提供帮助",
    "共同爱好（钓鱼）",
    "项目合作顺利",
    "年底答谢宴后关系更近",
)
_PT = PersonalityType
PERSONALITIES: tuple[tuple[PersonalityType | None, float], ...] = (
    (_PT.RATIONAL, 4),
    (_PT.TASK_DRIVEN, 3),
    (_PT.DEMANDING, 1),
    (_PT.OWNER_MINDED, 2),
    (_PT.CREDIT_SEEKING, 2),
    (_PT.STINGY, 1),
    (_PT.DIFFICULT, 1),
    (_PT.RELATIONSHIP, 2),
    (_PT.COMPOSITE, 1.5),
    (None, 5),
)

# Activities and gifts ------------------------------------------------------------------------
SUBJECTS: dict[ActivityKind, tuple[str, ...]] = {
    ActivityKind.CALL: (
        "电话跟进报价",
        "电话确认交期",
        "电话沟通样品测试结果",
        "关怀电话",
        "电话了解新项目需求",
        "回访电话：售后满意度",
        "电话确认付款进度",
    ),
    ActivityKind.EMAIL: (
        "发送报价单",
        "发送技术资料",
        "确认合同条款",
        "邮件跟进付款进度",
        "发送会议纪要",
        "发送新产品样册",
        "回复质量投诉",
    ),
    ActivityKind.VISIT: (
        "上门拜访：新产品介绍",
        "拜访采购部",
        "工厂现场技术支持",
        "拜访客户高层",
        "陪同技术团队现场测试",
        "送样并现场讲解",
    ),
    ActivityKind.MEETING: (
        "季度业务回顾会议",
        "年度框架协议谈判",
        "技术交流会",
        "项目启动会",
        "供应商评审会",
        "关系自查：客户满意度访谈",
    ),
    ActivityKind.GREETING: ("节日问候",),
    ActivityKind.NOTE: ("客户组织架构变动", "竞争对手动态", "客户预算信息", "记录客户个人喜好", "项目进展备忘"),
}
OUTCOMES = (
    "客户对报价基本认可，需内部审批",
    "确认下月下单",
    "需要补充测试报告",
    "客户反馈交期偏长",
    "约定下周再沟通",
    "客户满意，提出新需求",
    "竞争对手也在接触，需要跟进",
    "",
    "",
    "",
)
CANCEL_REASONS = ("客户临时出差，改期", "客户内部会议冲突", "天气原因取消", "客户要求延后")
DURATIONS: dict[ActivityKind, tuple[int, int]] = {
    ActivityKind.CALL: (5, 40),
    ActivityKind.EMAIL: (5, 20),
    ActivityKind.VISIT: (60, 240),
    ActivityKind.MEETING: (45, 180),
    ActivityKind.GREETING: (3, 15),
    ActivityKind.NOTE: (0, 10),
}
_AK = ActivityKind
KIND_WEIGHTS: dict[RankTier, tuple[tuple[ActivityKind, float], ...]] = {
    RankTier.OWNER: (
        (_AK.CALL, 3),
        (_AK.EMAIL, 1.5),
        (_AK.VISIT, 3),
        (_AK.MEETING, 2.5),
        (_AK.GREETING, 1.5),
        (_AK.NOTE, 0.8),
    ),
    RankTier.MANAGER: (
        (_AK.CALL, 4),
        (_AK.EMAIL, 3),
        (_AK.VISIT, 2.5),
        (_AK.MEETING, 2),
        (_AK.GREETING, 1),
        (_AK.NOTE, 0.8),
    ),
    RankTier.STAFF: (
        (_AK.CALL, 5),
        (_AK.EMAIL, 4),
        (_AK.VISIT, 1.5),
        (_AK.MEETING, 1),
        (_AK.GREETING, 0.7),
        (_AK.NOTE, 0.6),
    ),
    RankTier.CLERK: (
        (_AK.CALL, 4),
        (_AK.EMAIL, 3),
        (_AK.VISIT, 0.5),
        (_AK.MEETING, 0.3),
        (_AK.GREETING, 1),
        (_AK.NOTE, 0.4),
    ),
}
#: Gift items per kind: (item, low, high) in yuan before grading by account class and rank.
GIFT_ITEMS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "中秋节": (
        ("广式月饼礼盒", 200, 600),
        ("苏式月饼礼盒", 150, 400),
        ("大闸蟹礼券", 600, 1500),
        ("月饼茶叶组合礼盒", 400, 1200),
    ),
    "春节": (
        ("年货坚果礼盒", 200, 500),
        ("西湖龙井礼盒", 500, 1500),
        ("进口红酒礼盒", 600, 2000),
        ("五常大米礼盒", 200, 400),
    ),
    "端午节": (("粽子礼盒", 100, 300), ("嘉兴粽子礼盒", 120, 300)),
    "everyday": (
        ("咖啡豆", 60, 200),
        ("水果篮", 100, 300),
        ("定制保温杯", 80, 200),
        ("茶叶小罐", 100, 300),
        ("公司定制笔记本", 50, 120),
        ("零食礼包", 60, 150),
    ),
    "special": (
        ("宜兴紫砂壶", 800, 3000),
        ("兰州百合礼盒", 300, 800),
        ("景德镇茶具", 600, 2500),
        ("云南普洱茶饼", 500, 2000),
        ("苏绣团扇", 500, 1500),
        ("定制书法作品", 800, 3000),
    ),
    "meal": (
        ("商务午餐（粤菜）", 300, 900),
        ("晚宴（川菜）", 600, 2000),
        ("日料晚餐", 800, 2500),
        ("火锅聚餐", 300, 800),
        ("西餐晚宴", 800, 2200),
        ("兰州牛肉面+家常菜", 150, 400),
    ),
    "entertainment": (("高尔夫球场一日", 1500, 4000), ("演唱会门票", 1000, 3000), ("足球赛门票", 800, 2000)),
    "trip": (("工厂参观考察（含差旅）", 3000, 9000), ("行业展会（上海）差旅", 2500, 7000)),
    "received": (("客户回赠土特产", 100, 500), ("客户回赠茶叶", 200, 600), ("客户答谢宴", 500, 1500)),
}
GIFT_OCCASIONS: dict[str, tuple[str, ...]] = {
    "everyday": ("日常拜访", "感谢支持", "顺路拜访", "项目验收"),
    "special": ("生日", "升职祝贺", "乔迁之喜", "孩子升学", "结婚纪念日"),
    "meal": ("商务宴请", "项目签约庆祝", "技术交流后聚餐", "年度答谢"),
    "entertainment": ("客户答谢活动",),
    "trip": ("工厂参观考察", "行业展会邀请"),
    "received": ("客户回礼", "节日回赠"),
}
GIFT_NOTES = ("", "", "", "按礼品政策登记", "已报备销售经理", "客户婉拒了一半，只收下茶叶")
APPROVAL_CENTS = 100_000
SPONSOR_APPROVAL_CENTS = 500_000

# Shape of the book: effort and relationship by class --------------------------------------
#: Tables below are keyed by the account's working class, "-" for prospects not yet classed.
CONTACTS_PER_CLASS = {"A": 2.2, "B": 1.4, "C": 0.9, "D": 0.6, "-": 0.5}
STRANGER_SHARE = {"A": 0.03, "B": 0.08, "C": 0.15, "D": 0.25, "-": 0.3}
STAGE_MEAN = {
    "A": {RankTier.OWNER: 4.2, RankTier.MANAGER: 4.0, RankTier.STAFF: 3.5, RankTier.CLERK: 3.0},
    "B": {RankTier.OWNER: 3.2, RankTier.MANAGER: 3.0, RankTier.STAFF: 2.6, RankTier.CLERK: 2.2},
    "C": {RankTier.OWNER: 2.2, RankTier.MANAGER: 2.0, RankTier.STAFF: 1.8, RankTier.CLERK: 1.5},
    "D": {RankTier.OWNER: 1.6, RankTier.MANAGER: 1.5, RankTier.STAFF: 1.3, RankTier.CLERK: 1.1},
    "-": {RankTier.OWNER: 1.2, RankTier.MANAGER: 1.2, RankTier.STAFF: 1.1, RankTier.CLERK: 1.0},
}
RECENCY_DAYS = {"A": 10, "B": 21, "C": 45, "D": 90, "-": 30}
EFFORT_CLASS = {"A": 4.0, "B": 2.2, "C": 1.2, "D": 0.7, "-": 1.0}
EFFORT_TIER = {RankTier.OWNER: 1.0, RankTier.MANAGER: 1.3, RankTier.STAFF: 1.1, RankTier.CLERK: 0.5}
GIFT_CLASS = {"A": 5.0, "B": 2.5, "C": 1.0, "D": 0.4, "-": 0.5}
GIFT_TIER = {RankTier.OWNER: 1.6, RankTier.MANAGER: 1.3, RankTier.STAFF: 1.0, RankTier.CLERK: 0.6}
GIFT_GRADE = {"A": 1.3, "B": 1.1, "C": 0.85, "D": 0.65, "-": 0.8}
PLAN_SHARE = {"A": 0.6, "B": 0.4, "C": 0.2, "D": 0.1, "-": 0.35}
STAGES = tuple(RelationshipStage)

#: Solar dates of the lunar festivals (checked against a lunar calendar); other years approximate.
LUNAR_FESTIVALS: dict[int, tuple[dt.date, dt.date, dt.date]] = {
    y: (dt.date.fromisoformat(a), dt.date.fromisoformat(b), dt.date.fromisoformat(c))
    for y, a, b, c in (
        (2012, "2012-01-23", "2012-06-23", "2012-09-30"),
        (2013, "2013-02-10", "2013-06-12", "2013-09-19"),
        (2014, "2014-01-31", "2014-06-02", "2014-09-08"),
        (2015, "2015-02-19", "2015-06-20", "2015-09-27"),
        (2016, "2016-02-08", "2016-06-09", "2016-09-15"),
        (2017, "2017-01-28", "2017-05-30", "2017-10-04"),
        (2018, "2018-02-16", "2018-06-18", "2018-09-24"),
        (2019, "2019-02-05", "2019-06-07", "2019-09-13"),
        (2020, "2020-01-25", "2020-06-25", "2020-10-01"),
        (2021, "2021-02-12", "2021-06-14", "2021-09-21"),
        (2022, "2022-02-01", "2022-06-03", "2022-09-10"),
        (2023, "2023-01-22", "2023-06-22", "2023-09-29"),
        (2024, "2024-02-10", "2024-06-10", "2024-09-17"),
        (2025, "2025-01-29", "2025-05-31", "2025-10-06"),
        (2026, "2026-02-17", "2026-06-19", "2026-09-25"),
        (2027, "2027-02-06", "2027-06-09", "2027-09-15"),
        (2028, "2028-01-26", "2028-05-28", "2028-10-03"),
        (2029, "2029-02-13", "2029-06-16", "2029-09-22"),
        (2030, "2030-02-03", "2030-06-05", "2030-09-12"),
        (2031, "2031-01-23", "2031-06-24", "2031-10-01"),
        (2032, "2032-02-11", "2032-06-12", "2032-09-19"),
    )
}

# Our team: (name, title, department, rank tier, role, left so many years before today or None).
TEAM: tuple[tuple[str, str, str, RankTier, TeamRole, float | None], ...] = (
    ("王建国", "销售总监", "销售部", RankTier.OWNER, TeamRole.EXECUTIVE_SPONSOR, None),
    ("李娜", "销售经理", "销售部", RankTier.MANAGER, TeamRole.SALES_MANAGER, None),
    ("陈志强", "大客户经理", "销售部", RankTier.MANAGER, TeamRole.ACCOUNT_MANAGER, None),
    ("刘洋", "大客户经理", "销售部", RankTier.MANAGER, TeamRole.ACCOUNT_MANAGER, None),
    ("曾晓燕", "客户经理", "销售部", RankTier.STAFF, TeamRole.ACCOUNT_MANAGER, None),
    ("周杰", "技术支持", "技术部", RankTier.STAFF, TeamRole.RESEARCH, None),
    ("孙丽", "财务", "财务部", RankTier.STAFF, TeamRole.FINANCE, None),
    ("吴婷", "销售助理", "客服部", RankTier.CLERK, TeamRole.CUSTOMER_SERVICE, None),
    ("黄海涛", "副总经理", "总经理办公室", RankTier.OWNER, TeamRole.EXECUTIVE_SPONSOR, None),
    ("何振宇", "区域销售经理", "销售部", RankTier.MANAGER, TeamRole.SALES_MANAGER, None),
    ("马丽萍", "大客户经理", "销售部", RankTier.MANAGER, TeamRole.ACCOUNT_MANAGER, None),
    ("郭晨", "客户经理", "销售部", RankTier.STAFF, TeamRole.ACCOUNT_MANAGER, None),
    ("罗斌", "物流主管", "物流部", RankTier.STAFF, TeamRole.LOGISTICS, None),
    ("解东升", "客户经理", "销售部", RankTier.STAFF, TeamRole.ACCOUNT_MANAGER, 6.4),
    ("朴成浩", "大客户经理", "销售部", RankTier.MANAGER, TeamRole.ACCOUNT_MANAGER, 2.6),
)


# The plan ------------------------------------------------------------------------------------
@dataclass(slots=True)
class Member:
    """One of our people as planned (ids are final; `left_on` marks someone who has left)."""

    id: int
    name: str
    title: str
    department: str
    tier: RankTier
    role: TeamRole
    left_on: dt.date | None


@dataclass(slots=True)
class Link:
    """A planned tie between one of ours and a contact; `last` is its last done activity."""

    id: int
    member_id: int
    last: dt.date
    stage: int


@dataclass(slots=True)
class Contact:
    """A planned contact: who they are, how well we know them, and how much happens with them."""

    id: int
    account_id: int
    name: str
    surname: str
    given: str
    male: bool
    expat: bool
    tier: RankTier
    title: str
    reports_to: int | None
    stage: int
    since: dt.date
    birth_year: int
    links: list[Link] = field(default_factory=list)
    last: dt.date | None = None
    n_done: int = 0
    n_planned: int = 0
    n_cancelled: int = 0
    n_gifts: int = 0
    n_family: int = 0
    n_dates: int = 0
    history: tuple[int, ...] = ()


@dataclass(slots=True)
class Account:
    """A planned account with its values, class, our team on it and its contacts."""

    id: int
    name: str
    kind: str
    city: str
    province: str
    area_code: str
    industry: str
    domain: str
    since: dt.date
    base_yuan: float | None
    values: list[tuple[int, int, int]] = field(default_factory=list)
    value_cents: int | None = None
    computed: str | None = None
    pinned: str | None = None
    pin_reason: str = ""
    owner_id: int = 0
    former_owner: tuple[int, dt.date] | None = None
    team: list[tuple[int, TeamRole]] = field(default_factory=list)
    bow_tie: bool = False
    contacts: list[Contact] = field(default_factory=list)
    last: dt.date | None = None

    @property
    def cls(self) -> str:
        return self.pinned or self.computed or "-"


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Picker:
    """A fast weighted choice over a fixed population."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum = list(accumulate(p[1] for p in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[min(len(self.items) - 1, bisect_right(self.cum, rng.random() * self.total))]


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = (end - start).days
    return start if span <= 0 else start + dt.timedelta(days=rng.randint(0, span))


def _round(rng: random.Random, x: float) -> int:
    """Stochastic rounding: keeps totals of many small expected counts on target."""
    return int(x + rng.random())


def _festivals(year: int) -> tuple[dt.date, dt.date, dt.date]:
    return LUNAR_FESTIVALS.get(year) or (dt.date(year, 2, 5), dt.date(year, 6, 10), dt.date(year, 9, 20))


_KEYS: dict[tuple[str, bool], tuple[str, str]] = {}


def name_keys(name: str, person: bool) -> tuple[str, str]:
    """`search_keys`, remembered: demo names repeat, and pinyin is the costly part of a row."""
    key = (name, person)
    found = _KEYS.get(key)
    if found is None:
        found = _KEYS[key] = search_keys(name, person=person)
    return found


class DemoData:
    """A planned demo book: the skeleton is decided up front; rows are produced lazily, in chunks."""

    def __init__(
        self,
        size: DemoSize | str = DemoSize.SMALL,
        *,
        seed: int = DEFAULT_SEED,
        today: dt.date | None = None,
        chunk_rows: int = CHUNK_ROWS,
    ) -> None:
        self.size = DemoSize(size)
        self.spec = SPECS[self.size]
        self.seed = seed
        self.today = today or clock.today()
        self.chunk_rows = chunk_rows
        self.first_year = self.today.year - self.spec.years + 1
        self.start = dt.date(self.first_year, 1, 1)
        #: 09:00 Beijing time on the anchor day, as naive UTC.
        self.now = dt.datetime.combine(self.today, dt.time(1, 0))
        rng = random.Random(seed)
        self.members = self._plan_team()
        self.accounts = self._plan_accounts(rng)
        self._plan_contacts(rng)
        self._plan_effort(rng)
        self.holidays = self._holiday_list()

    # Planning ------------------------------------------------------------------------------
    def _plan_team(self) -> list[Member]:
        members = []
        for i, (name, title, dept, tier, role, left_years) in enumerate(TEAM[: self.spec.team], start=1):
            left_on = None
            if left_years is not None:
                left_on = self.today - dt.timedelta(days=int(left_years * 365))
            members.append(Member(i, name, title, dept, tier, role, left_on))
        return members

    def _active(self, role: TeamRole) -> list[Member]:
        return [m for m in self.members if m.role is role and m.left_on is None]

    def _account_name(
        self, rng: random.Random, kind: str, city: str, province: str, used: set[str]
    ) -> tuple[str, str, str]:
        """(name, industry, e-mail domain) of a new account, unique within the book."""
        for attempt in range(30):
            if kind == "international":
                brand, industry = rng.choice(INTERNATIONAL)
                place = CITY_EN.get(city, "China")
                name = f"{brand} {place}"
                slug = brand.split()[0].lower() + "-" + place.lower().replace("'", "")
            elif kind == "state":
                template, industry = rng.choice(STATE_OWNED)
                name = template.format(city=city, province=province)
                slug = name_keys(name, False)[1][:8]
            else:
                word = rng.choice(BRAND_WORDS)
                trade, industry = rng.choice(INDUSTRIES)
                suffix = _weighted(rng, SUFFIXES)
                style = rng.random()
                if style < 0.35:
                    name = f"{city}市{word}{trade}{suffix}"
                elif style < 0.75:
                    name = f"{city}{word}{trade}{suffix}"
                elif style < 0.9:
                    name = f"{rng.choice(REGIONS)}{word}{trade}{suffix}"
                else:
                    name = f"{word}{trade}（{city}）{suffix}"
                slug = name_keys(word, False)[0] + rng.choice(("", "-tech", "group", "-mfg"))
            if attempt >= 20:
                name = f"{name}（第{attempt - 18}分公司）"
            if name not in used:
                used.add(name)
                return name, industry, f"{slug}.example.com"
        raise RuntimeError("could not find a unique demo account name")

    def _plan_accounts(self, rng: random.Random) -> list[Account]:
        spec, today = self.spec, self.today
        city_picker = _Picker([(c, c[3]) for c in CITIES])
        used: set[str] = set()
        accounts: list[Account] = []
        n_prospects = max(1, round(spec.accounts * spec.prospect_share))
        prospect_ids = set(rng.sample(range(1, spec.accounts + 1), n_prospects))
        for account_id in range(1, spec.accounts + 1):
            city, province, area, _w = city_picker(rng)
            roll = rng.random()
            kind = "international" if roll < 0.1 and city in CITY_EN else "state" if roll < 0.16 else "private"
            name, industry, domain = self._account_name(rng, kind, city, province, used)
            prospect = account_id in prospect_ids
            if prospect:
                since = today - dt.timedelta(days=rng.randint(20, 400))
                since = max(since, self.start)
            elif rng.random() < (0.7 if spec.years <= 3 else 0.3):
                # A customer from before the records start: full years of values from the first one.
                since = self.start
            else:
                since = max(self.start, _between(rng, self.start, today - dt.timedelta(days=120)))
            accounts.append(
                Account(
                    account_id, name, kind, city, province, area, industry, domain, since, None if prospect else 0.0
                )
            )
        self._plan_values(rng, accounts)
        self._plan_classes(rng, accounts)
        self._plan_teams(rng, accounts)
        return accounts

    def _plan_values(self, rng: random.Random, accounts: list[Account]) -> None:
        """Revenue with an 80/20 shape: stratified lognormal draws, the largest to big groups.

        The current year's row holds revenue booked so far; `value_cents` is the trailing twelve
        months as the team's default measure counts it.
        """
        valued = [a for a in accounts if a.base_yuan is not None]
        m = len(valued)
        normal = NormalDist()
        draws = sorted(
            (400_000 * pow(2.718281828, 1.15 * normal.inv_cdf((i + rng.uniform(0.15, 0.85)) / m)) for i in range(m)),
            reverse=True,
        )
        bonus = {"state": 0.6, "international": 0.5, "private": 0.0}
        ranked = sorted(valued, key=lambda a: -(bonus[a.kind] + rng.random()))
        for account, base in zip(ranked, draws, strict=True):
            account.base_yuan = base
        today = self.today
        year_start = dt.date(today.year, 1, 1)
        ytd = ((today - year_start).days + 1) / (366 if _leap(today.year) else 365)
        for account in valued:
            assert account.base_yuan is not None
            growth = min(0.5, max(-0.3, rng.gauss(0.06, 0.12)))
            margin = rng.uniform(0.08, 0.35)
            for year in range(max(self.first_year, account.since.year), today.year + 1):
                revenue = account.base_yuan * (1 + growth) ** (year - today.year) * rng.gauss(1.0, 0.08)
                if year == today.year:
                    revenue *= ytd
                if year == account.since.year:
                    end = dt.date(year, 12, 31) if year < today.year else today
                    first = dt.date(year, 1, 1)
                    revenue *= ((end - account.since).days + 1) / ((end - first).days + 1)
                cents = max(0, int(revenue)) * 100
                profit = int(cents * min(0.6, max(-0.05, rng.gauss(margin, 0.03))))
                account.values.append((year, cents, profit))
            # The same rule as recompute, so a fresh demo file has nothing to move.
            periods = [
                PeriodValue(Period(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)), c, p) for y, c, p in account.values
            ]
            account.value_cents = measured_value(periods, "revenue", "trailing_12_months", None, today)

    def _plan_classes(self, rng: random.Random, accounts: list[Account]) -> None:
        results = classify([(a.id, a.value_cents) for a in accounts])
        for account in accounts:
            computed = results[account.id].computed
            account.computed = computed.value if computed is not None else None
        moves = (("C", "B", 0), ("B", "A", 1), ("D", "C", 2), ("B", "C", 3), ("A", "B", 4))
        candidates = {c: [a for a in accounts if a.computed == c] for c in "ABCD"}
        for i in range(self.spec.pins):
            old, new, reason = moves[i % len(moves)]
            pool = [a for a in candidates[old] if a.pinned is None]
            if pool:
                account = rng.choice(pool)
                account.pinned, account.pin_reason = new, PIN_REASONS[reason]

    def _plan_teams(self, rng: random.Random, accounts: list[Account]) -> None:
        ams = self._active(TeamRole.ACCOUNT_MANAGER)
        sponsors = self._active(TeamRole.EXECUTIVE_SPONSOR)
        sales_managers = self._active(TeamRole.SALES_MANAGER)
        support = [
            m
            for m in self.members
            if m.left_on is None
            and m.role not in (TeamRole.ACCOUNT_MANAGER, TeamRole.EXECUTIVE_SPONSOR, TeamRole.SALES_MANAGER)
        ]
        departed = [m for m in self.members if m.left_on is not None]
        small_ones = [a for a in accounts if a.cls in ("C", "D") and a.pinned is None]
        for account in rng.sample(small_ones, min(self.spec.bow_ties, len(small_ones))):
            account.bow_tie = True
        for account in accounts:
            cls = account.cls
            senior = cls in ("A", "B")
            weights = [(m, 2.0 if (m.tier is RankTier.MANAGER) == senior else 1.0) for m in ams]
            owner: Member = _weighted(rng, weights)
            account.owner_id = owner.id
            team: list[tuple[int, TeamRole]] = [(owner.id, TeamRole.ACCOUNT_MANAGER)]
            if not account.bow_tie:
                if cls == "A" or (cls == "B" and rng.random() < 0.3):
                    team.append((rng.choice(sponsors).id, TeamRole.EXECUTIVE_SPONSOR))
                if cls in ("A", "B") or (cls == "-" and rng.random() < 0.3):
                    team.append((rng.choice(sales_managers).id, TeamRole.SALES_MANAGER))
                share = {"A": 0.9, "B": 0.45, "C": 0.2}.get(cls, 0.0)
                for member in support:
                    if rng.random() < share:
                        team.append((member.id, member.role))
            account.team = team
            for member in departed:
                assert member.left_on is not None
                if account.since < member.left_on - dt.timedelta(days=180) and rng.random() < 0.25:
                    account.former_owner = (member.id, member.left_on)
                    break

    def _plan_contacts(self, rng: random.Random) -> None:
        spec, today = self.spec, self.today
        weights = [CONTACTS_PER_CLASS[a.cls] * rng.uniform(0.7, 1.3) for a in self.accounts]
        scale = spec.contacts / sum(weights)
        surname = _Picker(SURNAMES)
        members = {m.id: m for m in self.members}
        next_contact = 1
        next_link = 1
        for account, weight in zip(self.accounts, weights, strict=True):
            n = max(3 if account.bow_tie else 2, _round(rng, weight * scale))
            owners = 1 + (n >= 12) + (n >= 25)
            clerks = round(n * 0.15)
            managers = max(1, round(n * 0.28))
            staff = n - owners - managers - clerks
            tiers = (
                [RankTier.OWNER] * owners
                + [RankTier.MANAGER] * managers
                + [RankTier.STAFF] * staff
                + [RankTier.CLERK] * clerks
            )
            cls = account.cls
            ids_by_tier: dict[RankTier, list[int]] = {t: [] for t in RankTier}
            purchaser_done = False
            for position, tier in enumerate(tiers):
                expat = position == 0 and account.kind == "international" and rng.random() < 0.5
                male = (
                    rng.random()
                    < {RankTier.OWNER: 0.8, RankTier.MANAGER: 0.65, RankTier.STAFF: 0.55, RankTier.CLERK: 0.3}[tier]
                )
                if expat:
                    given, family = rng.choice(EXPATS)
                    name = f"{given} {family}"
                else:
                    family = surname(rng)
                    if next_contact % 50 == 7:
                        # Every fiftieth person has a surname read unlike the everyday character.
                        family = SHOWCASE_SURNAMES[(next_contact // 50) % len(SHOWCASE_SURNAMES)]
                    given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
                    name = family + given
                title = rng.choice(TOP_TITLES) if position == 0 else rng.choice(TITLES[tier])
                if tier is RankTier.OWNER:
                    reports_to = None if position == 0 else ids_by_tier[RankTier.OWNER][0]
                elif tier is RankTier.MANAGER:
                    reports_to = rng.choice(ids_by_tier[RankTier.OWNER])
                else:
                    above = ids_by_tier[RankTier.MANAGER] or ids_by_tier[RankTier.OWNER]
                    reports_to = rng.choice(above) if rng.random() < 0.9 else None
                    if title == "总经理助理":
                        reports_to = ids_by_tier[RankTier.OWNER][0]
                if account.bow_tie:
                    stage = 0
                    if tier is RankTier.STAFF and not purchaser_done:
                        purchaser_done = True
                        title = rng.choice(("采购员", "采购工程师"))
                        stage = rng.choice((1, 1, 2))
                elif rng.random() < STRANGER_SHARE[cls]:
                    stage = 0
                else:
                    stage = min(6, max(1, round(rng.gauss(STAGE_MEAN[cls][tier], 0.9))))
                span = (today - account.since).days
                since = account.since + dt.timedelta(days=int(span * 0.6 * rng.random()))
                age_base = {RankTier.OWNER: 52, RankTier.MANAGER: 44, RankTier.STAFF: 35, RankTier.CLERK: 29}[tier]
                birth_year = today.year - age_base - rng.randint(-7, 7)
                contact = Contact(
                    next_contact,
                    account.id,
                    name,
                    family,
                    given,
                    male,
                    expat,
                    tier,
                    title,
                    reports_to,
                    stage,
                    since,
                    birth_year,
                )
                ids_by_tier[tier].append(next_contact)
                next_contact += 1
                if stage:
                    next_link = self._plan_links(rng, account, contact, members, next_link)
                account.contacts.append(contact)
            lasts = [c.last for c in account.contacts if c.last is not None]
            account.last = max(lasts) if lasts else None

    def _plan_links(
        self, rng: random.Random, account: Account, contact: Contact, members: dict[int, Member], next_link: int
    ) -> int:
        """Pair the contact with our people by rank (the zipper); returns the next free link id."""
        cls = account.cls
        # Done activities end yesterday at the latest: today's are still on the plan.
        gap = 1 + rng.expovariate(1 / RECENCY_DAYS[cls])
        contact.last = max(contact.since, self.today - dt.timedelta(days=int(gap)))
        hub = members[account.owner_id]
        peers = [members[mid] for mid, _role in account.team if mid != hub.id and members[mid].tier is contact.tier]
        # The account manager is the hub; where we have someone of the contact's own rank on the
        # account (our sponsor for their owners, our engineer for theirs), the two pair up: the zipper.
        primary = rng.choice(peers) if peers and rng.random() < 0.4 else hub
        contact.links.append(Link(next_link, primary.id, contact.last, contact.stage))
        next_link += 1
        for member in [hub, *peers]:
            if member.id == primary.id or rng.random() > (0.8 if member is hub else 0.6):
                continue
            back = int(rng.expovariate(1 / 60))
            last = max(contact.since, contact.last - dt.timedelta(days=back))
            contact.links.append(Link(next_link, member.id, last, max(1, contact.stage - rng.randint(0, 2))))
            next_link += 1
        if account.former_owner is not None and not account.bow_tie:
            member_id, left_on = account.former_owner
            if contact.since < left_on and rng.random() < 0.6:
                last = _between(rng, contact.since, min(left_on, contact.last))
                contact.links.append(Link(next_link, member_id, last, max(1, contact.stage - 1)))
                next_link += 1
        return next_link

    def _plan_effort(self, rng: random.Random) -> None:
        """Decide how many activities, gifts and personal-file entries each contact gets."""
        spec = self.spec
        known = [(a, c) for a in self.accounts for c in a.contacts if c.stage]
        for account, contact in known:
            if rng.random() < PLAN_SHARE[account.cls]:
                contact.n_planned = rng.randint(1, 2)
            if rng.random() < 0.08:
                contact.n_cancelled = 1
        done_target = spec.activities - sum(c.n_planned + c.n_cancelled for _a, c in known)
        act_w, gift_w = [], []
        for account, contact in known:
            assert contact.last is not None
            years = max(0.1, (contact.last - contact.since).days / 365)
            stage = 0.6 + 0.2 * contact.stage
            act_w.append(
                EFFORT_CLASS[account.cls] * EFFORT_TIER[contact.tier] * stage * years**0.8 * rng.uniform(0.6, 1.4)
            )
            gift_w.append(
                GIFT_CLASS[account.cls] * GIFT_TIER[contact.tier] * stage * years**0.7 * rng.uniform(0.5, 1.5)
            )
        floors = [len(c.links) for _a, c in known]
        act_scale = done_target / sum(act_w)
        for _ in range(6):
            # Every link needs one activity (its last contact), so refit the scale over those floors.
            expected = sum(max(f, w * act_scale) for f, w in zip(floors, act_w, strict=True))
            act_scale *= done_target / expected
        gift_scale = spec.gifts / sum(gift_w)
        family_share = {RankTier.OWNER: 0.45, RankTier.MANAGER: 0.35, RankTier.STAFF: 0.2, RankTier.CLERK: 0.1}
        for (_account, contact), aw, gw in zip(known, act_w, gift_w, strict=True):
            contact.n_done = max(len(contact.links), _round(rng, aw * act_scale))
            contact.n_gifts = _round(rng, gw * gift_scale)
            if not contact.expat and rng.random() < family_share[contact.tier]:
                contact.n_family = rng.choice((1, 1, 2, 2, 3))
            if rng.random() < 0.15:
                contact.n_dates = rng.choice((1, 1, 1, 2))
            if contact.stage >= 3 and rng.random() < 0.12:
                first = max(1, contact.stage - rng.randint(1, 2))
                contact.history = tuple(range(first, contact.stage + 1))

    def _holiday_list(self) -> list[tuple[dt.date, str]]:
        days: list[tuple[dt.date, str]] = []
        for year in range(self.first_year - 1, self.today.year + 1):
            spring, dragon, autumn = _festivals(year)
            days += [
                (dt.date(year, 1, 1), "元旦"),
                (spring, "春节"),
                (dragon, "端午节"),
                (autumn, "中秋节"),
                (dt.date(year, 10, 1), "国庆节"),
            ]
        days.sort()
        return days

    # Output --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """How many rows each table will receive (exact: the lazy output follows the plan)."""
        contacts = [c for a in self.accounts for c in a.contacts]
        return {
            "team_members": len(self.members),
            "accounts": len(self.accounts),
            "account_values": sum(len(a.values) for a in self.accounts),
            "account_team": sum(len(a.team) for a in self.accounts),
            "contacts": len(contacts),
            "contact_stage_history": sum(len(c.history) for c in contacts),
            "family_members": sum(c.n_family for c in contacts),
            "personal_dates": sum(c.n_dates for c in contacts),
            "links": sum(len(c.links) for c in contacts),
            "activities": sum(c.n_done + c.n_planned + c.n_cancelled for c in contacts),
            "gifts": sum(c.n_gifts for c in contacts),
        }

    def tables(self) -> dict[str, Chunks]:
        """Fresh lazy chunk streams per table, in foreign-key order; each may be consumed alone."""
        makers: dict[str, Callable[[random.Random], Iterator[Row]]] = {
            "team_members": self._team_rows,
            "accounts": self._account_rows,
            "account_values": self._value_rows,
            "account_team": self._account_team_rows,
            "contacts": self._contact_rows,
            "contact_stage_history": self._stage_history_rows,
            "family_members": self._family_rows,
            "personal_dates": self._personal_date_rows,
            "links": self._link_rows,
            "activities": self._activity_rows,
            "gifts": self._gift_rows,
        }
        return {name: self._chunked(makers[name], name) for name in TABLE_ORDER}

    def rows(self) -> dict[str, list[Row]]:
        """Every row at once (for the small size and tests)."""
        return {name: [row for chunk in chunks for row in chunk] for name, chunks in self.tables().items()}

    def _chunked(self, maker: Callable[[random.Random], Iterator[Row]], name: str) -> Chunks:
        rng = random.Random(f"{self.seed}:{self.size.value}:{name}")
        chunk: list[Row] = []
        for row in maker(rng):
            chunk.append(row)
            if len(chunk) >= self.chunk_rows:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _stamp(self, row: Row, created: dt.datetime) -> Row:
        row["version"] = 1
        row["created_at"] = created
        row["updated_at"] = created
        row["updated_by"] = DEMO_USER
        return row

    def _at(self, day: dt.date, rng: random.Random) -> dt.datetime:
        """A moment in Beijing office hours on `day`, as naive UTC (Beijing is UTC+8)."""
        return dt.datetime(day.year, day.month, day.day, rng.randint(0, 9), rng.randrange(0, 60, 5))

    def _team_rows(self, rng: random.Random) -> Iterator[Row]:
        joined = dt.datetime.combine(self.start, dt.time(2, 0))
        for m in self.members:
            pinyin, initials = name_keys(m.name, True)
            family_py = name_keys(m.name[0], True)[0]
            given_py = pinyin[len(family_py) :]
            yield self._stamp(
                {
                    "id": m.id,
                    "name": m.name,
                    "name_pinyin": pinyin,
                    "name_initials": initials,
                    "title": m.title,
                    "department": m.department,
                    "rank_tier": m.tier.value,
                    "role": m.role.value,
                    "email": f"{given_py}.{family_py}@{OUR_DOMAIN}",
                    "phone": _mobile(rng),
                    "active": m.left_on is None,
                    "left_on": m.left_on,
                },
                joined,
            )

    def _account_rows(self, rng: random.Random) -> Iterator[Row]:
        sales_manager = self._active(TeamRole.SALES_MANAGER)[0].name
        personality = _Picker(PERSONALITIES)
        for a in self.accounts:
            cls = a.cls
            pinyin, initials = name_keys(a.name, False)
            stage, rel_type, cycle, attract, state = _account_outlook(rng, a, self.today)
            potential = None
            if a.value_cents is not None and rng.random() < 0.8:
                potential = int(a.value_cents * rng.uniform(1.1, 3.0)) // 10_000 * 10_000
            elif a.value_cents is None:
                potential = int(rng.lognormvariate(13.0, 1.0)) * 100 // 10_000 * 10_000
            created = dt.datetime.combine(a.since, dt.time(2, 30))
            row = self._stamp(
                {
                    "id": a.id,
                    "name": a.name,
                    "name_pinyin": pinyin,
                    "name_initials": initials,
                    "industry": a.industry,
                    "city": a.city,
                    "province": a.province,
                    "personality_type": _value(personality(rng)),
                    "sales_stage": stage,
                    "relationship_type": rel_type,
                    "cycle_stage": cycle,
                    "attractiveness": attract,
                    "relationship_state": state,
                    "potential_cents": potential,
                    "potential_margin_pct": rng.randint(12, 45) if potential else None,
                    "value_cents": a.value_cents,
                    "computed_class": a.computed,
                    "pinned_class": a.pinned,
                    "pin_reason": a.pin_reason,
                    "pinned_by": sales_manager if a.pinned else "",
                    "pinned_at": self.now - dt.timedelta(days=rng.randint(10, 200)) if a.pinned else None,
                    "owner_id": a.owner_id,
                    "last_contact_on": a.last,
                    "notes": rng.choice(ACCOUNT_NOTES) if cls != "-" else "新开发的潜在客户",
                },
                created,
            )
            row["updated_at"] = max(created, self.now - dt.timedelta(days=rng.randint(0, 60)))
            yield row

    def _value_rows(self, rng: random.Random) -> Iterator[Row]:
        next_id = 1
        for a in self.accounts:
            for year, revenue, profit in a.values:
                booked = dt.datetime(min(year + 1, self.today.year), 1, 10, 2, 0)
                yield self._stamp(
                    {
                        "id": next_id,
                        "account_id": a.id,
                        "period": str(year),
                        "period_start": dt.date(year, 1, 1),
                        "period_end": dt.date(year, 12, 31),
                        "revenue_cents": revenue,
                        "profit_cents": profit,
                    },
                    min(booked, self.now),
                )
                next_id += 1

    def _account_team_rows(self, rng: random.Random) -> Iterator[Row]:
        next_id = 1
        for a in self.accounts:
            created = dt.datetime.combine(a.since, dt.time(3, 0))
            for member_id, role in a.team:
                yield self._stamp(
                    {"id": next_id, "account_id": a.id, "member_id": member_id, "role": role.value}, created
                )
                next_id += 1

    def _contact_rows(self, rng: random.Random) -> Iterator[Row]:
        by_tier = {t: _Picker(BUYING_ROLES[t]) for t in RankTier}
        personality = _Picker(PERSONALITIES)
        hometown = _Picker([(c[0], c[3]) for c in CITIES] + [(h, 1.5) for h in HOMETOWNS])
        for a in self.accounts:
            for c in a.contacts:
                pinyin, initials = name_keys(c.name, True)
                if c.expat:
                    local = name_keys(c.given, False)[0] + "." + name_keys(c.surname, False)[0]
                else:
                    local = name_keys(c.given, False)[0] + "." + name_keys(c.surname, True)[0]
                role = by_tier[c.tier](rng)
                if "采购" in c.title and c.tier is RankTier.STAFF and rng.random() < 0.6:
                    role = BuyingRole.GATEKEEPER
                calendar_kind, b_year, month, day = _birthday(rng, c.birth_year, lunar_share=0.0 if c.expat else 0.3)
                known = c.stage > 0
                city = a.city if rng.random() < 0.9 else rng.choice(CITIES)[0]
                home = "" if c.expat else hometown(rng)
                created = dt.datetime.combine(c.since, dt.time(3, 30))
                yield self._stamp(
                    {
                        "id": c.id,
                        "account_id": a.id,
                        "name": c.name,
                        "name_pinyin": pinyin,
                        "name_initials": initials,
                        "title": c.title,
                        "rank_tier": c.tier.value,
                        "buying_role": _value(role),
                        "reports_to_id": c.reports_to,
                        "relationship_stage": STAGES[c.stage].value,
                        "mobile": _mobile(rng) if known or rng.random() < 0.3 else "",
                        "phone": f"{a.area_code}-{rng.randint(5000, 8999)} {rng.randint(0, 9999):04d}"
                        if rng.random() < 0.5
                        else "",
                        "email": f"{local}@{a.domain}" if rng.random() < 0.75 else "",
                        "wechat": _wechat(rng, local, c.birth_year) if known and rng.random() < 0.85 else "",
                        "address": _address(rng, a) if rng.random() < 0.35 else "",
                        "birthday_calendar": calendar_kind if known else None,
                        "birthday_year": b_year if known else None,
                        "birthday_month": month if known else None,
                        "birthday_day": day if known else None,
                        "birthday_leap_month": False,
                        "city": city,
                        "hometown": home,
                        **_tastes(
                            rng.sample(INTERESTS, rng.randint(1, 3)) if known else [],
                            rng.sample(PREFERENCES, rng.randint(0, 2)) if known else [],
                            rng.choice(TABOOS) if known and rng.random() < 0.35 else "",
                        ),
                        "personality_type": _value(personality(rng)) if known else None,
                        "notes": rng.choice(CONTACT_NOTES) if known and rng.random() < 0.15 else "",
                        "last_contact_on": c.last,
                    },
                    created,
                )

    def _stage_history_rows(self, rng: random.Random) -> Iterator[Row]:
        names = {m.id: m.name for m in self.members}
        next_id = 1
        for a in self.accounts:
            for c in a.contacts:
                if not c.history:
                    continue
                assert c.last is not None
                span = (c.last - c.since).days
                cuts = sorted(rng.randint(0, span) for _ in c.history)
                for stage, offset in zip(c.history, cuts, strict=True):
                    yield {
                        "id": next_id,
                        "contact_id": c.id,
                        "stage": STAGES[stage].value,
                        "changed_on": c.since + dt.timedelta(days=offset),
                        "changed_by": names[c.links[0].member_id],
                        "reason": rng.choice(STAGE_REASONS),
                    }
                    next_id += 1

    def _family_rows(self, rng: random.Random) -> Iterator[Row]:
        surname = _Picker(SURNAMES)
        next_id = 1
        for a in self.accounts:
            for c in a.contacts:
                relations = ["配偶", "儿子", "女儿", "父亲", "母亲"]
                rng.shuffle(relations)
                for relation in sorted(relations[: c.n_family], key=["配偶", "儿子", "女儿", "父亲", "母亲"].index):
                    if relation == "配偶":
                        name = surname(rng) + rng.choice(FEMALE_GIVEN if c.male else MALE_GIVEN)
                        year = c.birth_year + rng.randint(-3, 4)
                    elif relation in ("儿子", "女儿"):
                        family = c.surname if c.male or rng.random() < 0.3 else surname(rng)
                        name = family + rng.choice(MALE_GIVEN if relation == "儿子" else FEMALE_GIVEN)
                        year = min(self.today.year - 1, c.birth_year + rng.randint(24, 36))
                    else:
                        family = c.surname if relation == "父亲" else surname(rng)
                        name = family + rng.choice(MALE_GIVEN if relation == "父亲" else FEMALE_GIVEN)
                        year = c.birth_year - rng.randint(22, 32)
                    lunar = 0.6 if relation in ("父亲", "母亲") else 0.2
                    calendar_kind, b_year, month, day = _birthday(rng, year, lunar_share=lunar)
                    yield self._stamp(
                        {
                            "id": next_id,
                            "contact_id": c.id,
                            "name": name,
                            "relation": relation,
                            "birthday_calendar": calendar_kind,
                            "birthday_year": b_year,
                            "birthday_month": month,
                            "birthday_day": day,
                            "birthday_leap_month": False,
                            "notes": rng.choice(FAMILY_NOTES[relation]),
                        },
                        dt.datetime.combine(c.since, dt.time(4, 0)),
                    )
                    next_id += 1

    def _personal_date_rows(self, rng: random.Random) -> Iterator[Row]:
        picker = _Picker(PERSONAL_DATES)
        next_id = 1
        for a in self.accounts:
            for c in a.contacts:
                for _ in range(c.n_dates):
                    label = picker(rng)
                    if label == "创业纪念日" and c.tier is not RankTier.OWNER:
                        label = "结婚纪念日"
                    lunar = label == "结婚纪念日" and rng.random() < 0.2
                    month = rng.randint(1, 12)
                    latest = self.today.year - 1
                    year = rng.randint(min(latest, max(c.birth_year + 20, latest - 30)), latest)
                    day = rng.randint(1, 29) if lunar else rng.randint(1, _days_in(year, month))
                    yield self._stamp(
                        {
                            "id": next_id,
                            "contact_id": c.id,
                            "label": label,
                            "calendar": CalendarKind.LUNAR.value if lunar else CalendarKind.SOLAR.value,
                            "year": year if rng.random() < 0.7 else None,
                            "month": month,
                            "day": day,
                            "leap_month": False,
                        },
                        dt.datetime.combine(c.since, dt.time(4, 0)),
                    )
                    next_id += 1

    def _link_rows(self, rng: random.Random) -> Iterator[Row]:
        for a in self.accounts:
            for c in a.contacts:
                for link in c.links:
                    yield self._stamp(
                        {
                            "id": link.id,
                            "member_id": link.member_id,
                            "contact_id": c.id,
                            "relationship_stage": STAGES[link.stage].value,
                            "last_contact_on": link.last,
                            "notes": "",
                        },
                        dt.datetime.combine(c.since, dt.time(5, 0)),
                    )

    def _activity_rows(self, rng: random.Random) -> Iterator[Row]:
        kinds = {t: _Picker(KIND_WEIGHTS[t]) for t in RankTier}
        contact_kinds = {
            t: _Picker([p for p in KIND_WEIGHTS[t] if p[0] not in (_AK.NOTE, _AK.GREETING)]) for t in RankTier
        }
        holidays = self.holidays
        holiday_days = [h[0] for h in holidays]
        today, now = self.today, self.now
        done, planned, cancelled = (
            ActivityStatus.DONE.value,
            ActivityStatus.PLANNED.value,
            ActivityStatus.CANCELLED.value,
        )
        next_id = 1
        for a in self.accounts:
            for c in a.contacts:
                if not c.links:
                    continue
                assert c.last is not None
                links = c.links
                primary = links[0].member_id
                events: list[tuple[dt.date, int | None, bool]] = [(lk.last, lk.member_id, True) for lk in links]
                span = (c.last - c.since).days
                for _ in range(c.n_done - len(links)):
                    events.append((c.since + dt.timedelta(days=rng.randint(0, span)), None, False))
                events.sort(key=lambda e: e[0])
                for day, member_id, anchored in events:
                    kind = contact_kinds[c.tier](rng) if anchored else kinds[c.tier](rng)
                    subject = ""
                    if kind is _AK.GREETING:
                        lo, hi = bisect_left(holiday_days, c.since), bisect_right(holiday_days, c.last)
                        if lo < hi:
                            day, festival = holidays[rng.randrange(lo, hi)]
                            subject = f"{festival}问候"
                        else:
                            kind = _AK.CALL
                    if member_id is None:
                        eligible = [lk.member_id for lk in links if lk.last >= day]
                        member_id = primary if len(eligible) == 1 or rng.random() < 0.6 else rng.choice(eligible)
                    low, high = DURATIONS[kind]
                    at = self._at(day, rng)
                    yield {
                        "id": next_id,
                        "kind": kind.value,
                        "status": done,
                        "account_id": a.id,
                        "contact_id": c.id,
                        "member_id": member_id,
                        "due_on": day if kind in (_AK.VISIT, _AK.MEETING) or rng.random() < 0.3 else None,
                        "occurred_at": at,
                        "duration_minutes": rng.randint(low, high),
                        "subject": subject or rng.choice(SUBJECTS[kind]),
                        "notes": "",
                        "outcome": rng.choice(OUTCOMES) if kind is not _AK.NOTE else "",
                        "important": rng.random() < 0.06,
                        "version": 1,
                        "created_at": at,
                        "updated_at": at,
                        "updated_by": DEMO_USER,
                    }
                    next_id += 1
                for i in range(c.n_planned + c.n_cancelled):
                    kind = contact_kinds[c.tier](rng)
                    if i < c.n_planned:
                        status = planned
                        due = (
                            today + dt.timedelta(days=rng.randint(1, 42))
                            if rng.random() < 0.88
                            else today - dt.timedelta(days=rng.randint(1, 10))
                        )
                        outcome = ""
                        created = now - dt.timedelta(days=rng.randint(1, 20))
                    else:
                        status = cancelled
                        due = _between(rng, c.since, c.last)
                        outcome = rng.choice(CANCEL_REASONS)
                        created = dt.datetime.combine(due, dt.time(1, 0)) - dt.timedelta(days=rng.randint(1, 14))
                    low, high = DURATIONS[kind]
                    yield {
                        "id": next_id,
                        "kind": kind.value,
                        "status": status,
                        "account_id": a.id,
                        "contact_id": c.id,
                        "member_id": primary,
                        "due_on": due,
                        "occurred_at": None,
                        "duration_minutes": rng.randint(low, high),
                        "subject": "计划：" + rng.choice(SUBJECTS[kind]),
                        "notes": "",
                        "outcome": outcome,
                        "important": rng.random() < 0.1,
                        "version": 1,
                        "created_at": created,
                        "updated_at": created,
                        "updated_by": DEMO_USER,
                    }
                    next_id += 1

    def _gift_rows(self, rng: random.Random) -> Iterator[Row]:
        sales_manager = self._active(TeamRole.SALES_MANAGER)[0].name
        sponsor = self._active(TeamRole.EXECUTIVE_SPONSOR)[0].name
        festivals = [h for h in self.holidays if h[1] in ("春节", "中秋节", "端午节")]
        festival_days = [h[0] for h in festivals]
        next_id = 1
        for a in self.accounts:
            cls = a.cls
            kind_picker = _Picker(
                (
                    ("everyday", 3.0),
                    ("holiday", 3.5),
                    ("meal", 2.2),
                    ("received", 0.5),
                    ("special", 0.8 if cls in ("A", "B") else 0.2),
                    ("entertainment", 0.3 if cls in ("A", "B") else 0.0),
                    ("trip", 0.2 if cls == "A" else 0.0),
                )
            )
            for c in a.contacts:
                if not c.n_gifts:
                    continue
                assert c.last is not None
                grade = (
                    GIFT_GRADE[cls]
                    * {RankTier.OWNER: 1.3, RankTier.MANAGER: 1.1, RankTier.STAFF: 0.9, RankTier.CLERK: 0.7}[c.tier]
                )
                lo, hi = bisect_left(festival_days, c.since), bisect_right(festival_days, c.last)
                for _ in range(c.n_gifts):
                    pick = kind_picker(rng)
                    occasion = ""
                    if pick == "holiday" and lo < hi:
                        festival_day, occasion = festivals[rng.randrange(lo, hi)]
                        day = max(c.since, festival_day - dt.timedelta(days=rng.randint(1, 10)))
                        item, low, high = rng.choice(GIFT_ITEMS[occasion])
                        kind = GiftKind.HOLIDAY
                    else:
                        if pick == "holiday":
                            pick = "everyday"
                        day = _between(rng, c.since, c.last)
                        item, low, high = rng.choice(GIFT_ITEMS[pick])
                        occasion = rng.choice(GIFT_OCCASIONS[pick])
                        kind = (
                            GiftKind.MEAL
                            if pick == "received" and "宴" in item
                            else (GiftKind.EVERYDAY if pick == "received" else GiftKind(pick))
                        )
                    received = pick == "received"
                    value = int(rng.uniform(low, high) * (1.0 if received else grade)) // 10 * 1000
                    approver = ""
                    if not received and value >= SPONSOR_APPROVAL_CENTS:
                        approver = sponsor
                    elif not received and value >= APPROVAL_CENTS:
                        approver = sales_manager
                    eligible = [lk.member_id for lk in c.links if lk.last >= day]
                    at = dt.datetime.combine(day, dt.time(6, 0))
                    yield self._stamp(
                        {
                            "id": next_id,
                            "direction": (GiftDirection.RECEIVED if received else GiftDirection.GIVEN).value,
                            "kind": kind.value,
                            "item": item,
                            "value_cents": value,
                            "given_on": day,
                            "account_id": a.id,
                            "contact_id": c.id,
                            "member_id": rng.choice(eligible) if eligible else c.links[0].member_id,
                            "occasion": occasion,
                            "approved_by": approver,
                            "notes": rng.choice(GIFT_NOTES),
                        },
                        at,
                    )
                    next_id += 1


def _account_outlook(rng: random.Random, a: Account, today: dt.date) -> tuple[str, str | None, str, str, str]:
    """(sales stage, relationship type, cycle stage, attractiveness, relationship state) by class."""
    cls = a.cls
    if cls == "-":
        stage = _weighted(
            rng, ((SalesStage.POTENTIAL, 4), (SalesStage.TRIAL, 2.5), (SalesStage.INTENT, 2), (SalesStage.QUASI, 1.5))
        )
        rel_type = RelationshipType.VENDOR.value if rng.random() < 0.5 else None
        return (
            stage.value,
            rel_type,
            CycleStage.BREAKTHROUGH.value,
            rng.choice(tuple(Attractiveness)).value,
            rng.choice((RelationshipState.ROOM_TO_GROW, RelationshipState.GROWING)).value,
        )
    new = a.since > today - dt.timedelta(days=90)
    stage = SalesStage.QUASI if new else SalesStage.FORMAL
    rt, cs, at, rs = RelationshipType, CycleStage, Attractiveness, RelationshipState
    table: dict[str, tuple[Any, Any, Any, Any]] = {
        "A": (
            ((rt.PARTNER, 4.5), (rt.STRATEGIC_ALLIANCE, 1.5), (rt.PREFERRED_SUPPLIER, 4)),
            ((cs.HARVEST, 4), (cs.GROWTH, 3), (cs.DEFENSE, 2), (cs.CONSOLIDATION, 1)),
            ((at.HIGH, 8), (at.MEDIUM, 2)),
            ((rs.VERY_SOLID, 4), (rs.GOOD, 4), (rs.DEFENDING, 1.5), (rs.GROWING, 1)),
        ),
        "B": (
            ((rt.PREFERRED_SUPPLIER, 6), (rt.PARTNER, 2.5), (rt.VENDOR, 1.5)),
            ((cs.GROWTH, 3), (cs.CONSOLIDATION, 3), (cs.HARVEST, 2), (cs.DEFENSE, 1)),
            ((at.HIGH, 4), (at.MEDIUM, 5), (at.LOW, 1)),
            ((rs.GOOD, 4), (rs.GROWING, 3), (rs.ROOM_TO_GROW, 3)),
        ),
        "C": (
            ((rt.VENDOR, 6), (rt.PREFERRED_SUPPLIER, 4)),
            ((cs.CONSOLIDATION, 3), (cs.HIBERNATION, 2), (cs.DEFENSE, 2), (cs.PAUSE, 1), (cs.GROWTH, 1)),
            ((at.HIGH, 1.5), (at.MEDIUM, 5), (at.LOW, 3.5)),
            ((rs.LIMITED, 3), (rs.ROOM_TO_GROW, 4), (rs.DECLINING, 2)),
        ),
        "D": (
            ((rt.VENDOR, 1),),
            ((cs.HIBERNATION, 3), (cs.PAUSE, 2), (cs.DEFENSE, 1)),
            ((at.MEDIUM, 3), (at.LOW, 7)),
            ((rs.DECLINING, 4), (rs.LIMITED, 5)),
        ),
    }
    types, cycles, attracts, states = table[cls]
    return (
        stage.value,
        _weighted(rng, types).value,
        _weighted(rng, cycles).value,
        _weighted(rng, attracts).value,
        _weighted(rng, states).value,
    )


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else member.value


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if _leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _birthday(
    rng: random.Random, year: int, lunar_share: float
) -> tuple[str | None, int | None, int | None, int | None]:
    """(calendar, year or None, month, day); lunar days stay at 29 or below, valid in any lunar month."""
    if rng.random() < 0.15:
        return None, None, None, None
    month = rng.randint(1, 12)
    shown_year = year if rng.random() < 0.6 else None
    if rng.random() < lunar_share:
        return CalendarKind.LUNAR.value, shown_year, month, rng.randint(1, 29)
    return CalendarKind.SOLAR.value, shown_year, month, rng.randint(1, _days_in(year, month))


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)} {rng.randint(0, 9999):04d} {rng.randint(0, 9999):04d}"


def _wechat(rng: random.Random, local: str, birth_year: int) -> str:
    style = rng.random()
    if style < 0.3:
        return "wxid_" + "".join(rng.choices("abcdefghijkmnpqrstuvwxyz23456789", k=12))
    if style < 0.7:
        return f"{local.replace('.', '_').replace('-', '')}{birth_year % 100:02d}"
    return f"{local.split('.')[0]}{rng.randint(100, 9999)}"


_DISTRICTS = ("高新区", "经济技术开发区", "工业园区", "新区", "开发区")
_ROADS = ("长江路", "人民路", "创业路", "科技大道", "星湖街", "建设路", "中山路", "解放路", "东风路", "黄河路")


def _address(rng: random.Random, a: Account) -> str:
    head = f"{a.city}市" if a.city in MUNICIPALITIES else f"{a.province}省{a.city}市"
    if a.province in ("广西", "新疆"):
        head = f"{a.province}{a.city}市"
    return f"{head}{rng.choice(_DISTRICTS)}{rng.choice(_ROADS)}{rng.randint(1, 999)}号"


def generate_demo(
    size: DemoSize | str = DemoSize.SMALL,
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> DemoData:
    """Plan a demo book anchored on `today` (default: the real today); rows come from `.tables()`."""
    return DemoData(size, seed=seed, today=today, chunk_rows=chunk_rows)


def demo_rows(
    size: DemoSize | str = DemoSize.SMALL, *, seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> dict[str, list[Row]]:
    """Every row of a demo book as plain dicts keyed by table name (fine for the small size)."""
    return generate_demo(size, seed=seed, today=today).rows()
