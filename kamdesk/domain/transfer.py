"""What an import reads and an export writes: columns per kind, header mapping, values checked per row."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from kamdesk.domain import gift_vocabulary as vocabulary
from kamdesk.domain.accounts import (
    AccountRuleError,
    AccountValidationError,
    parse_money,
    parse_period,
    validate_account,
)
from kamdesk.domain.contacts import (
    ContactDetail,
    ContactValidationError,
    PersonalDate,
    check_date,
    validate_contact,
)
from kamdesk.domain.enums import (
    ActivityKind,
    ActivityStatus,
    Attractiveness,
    BuyingRole,
    CalendarKind,
    CycleStage,
    GiftDirection,
    GiftKind,
    LabelledEnum,
    PersonalityType,
    RankTier,
    RelationshipStage,
    RelationshipState,
    RelationshipType,
    SalesStage,
    TeamRole,
)
from kamdesk.domain.gifts import MAX_VALUE_CENTS, CatalogueItem
from kamdesk.domain.models import AccountDetail
from kamdesk.domain.tabular import Table, TableError, row_estimate
from kamdesk.i18n import N_, _

IMPORT_KINDS = ("accounts", "contacts", "team", "activities", "gifts", "catalogue")
EXPORT_KINDS = ("accounts", "contacts", "activities", "gifts", "visits", "catalogue")


@dataclass(frozen=True)
class Column:
    """One field a file may carry: its canonical header, other headers people use, and its type."""

    name: str
    aliases: tuple[str, ...] = ()
    form: str = "text"  # text, enum, date, datetime, birthday, money, signed_money, int, bool, period, time,
    # occasions, category, attributes, likes, taboos (codes of the gift vocabulary)
    enum: type[LabelledEnum] | None = None
    required: bool = False
    max_len: int = 200
    export_only: bool = False
    #: Text the editors take in a many-line box (notes, address); every other text field is one line.
    multiline: bool = False


_ACCOUNT = (
    "account",
    "company",
    "organization",
    "organisation",
    "org",
    "公司",
    "公司名称",
    "客户",
    "客户名称",
    "单位",
    "单位名称",
    "企业",
    "企业名称",
    "所属公司",
    "客户公司",
)
_NOTES = ("notes", "note", "remarks", "备注", "说明")
_MEMBER = ("member", "owner", "our person", "负责人", "经办人", "我方人员", "执行人", "业务员", "销售")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "accounts": (
        Column(
            "name",
            (
                "account",
                "company",
                "account name",
                "company name",
                "公司名称",
                "客户名称",
                "公司",
                "客户",
                "企业名称",
                "单位名称",
                "名称",
            ),
            required=True,
            max_len=300,
        ),
        Column("class", ("分类", "客户等级", "等级", "abc"), export_only=True),
        Column("value", ("revenue", "sales", "销售额", "收入", "营收", "营业额", "价值", "年销售额", "金额"), "money"),
        Column("value_period", ("period", "year", "期间", "年度", "年份"), "period"),
        Column("profit", ("利润", "毛利", "毛利润"), "signed_money"),
        Column("city", ("城市", "所在城市", "所在地")),
        Column("province", ("省份", "省", "地区")),
        Column("industry", ("行业", "所属行业")),
        Column(
            "personality_type", ("personality", "性格类型", "客户性格", "性格", "客户类型"), "enum", PersonalityType
        ),
        Column("sales_stage", ("stage", "销售阶段", "客户发展阶段", "发展阶段"), "enum", SalesStage),
        Column("relationship_type", ("客户关系类型", "关系类型"), "enum", RelationshipType),
        Column("cycle_stage", ("客户关系周期", "关系周期", "周期阶段", "周期"), "enum", CycleStage),
        Column("owner", ("account manager", "负责人", "客户经理", "业务员", "销售"), max_len=200),
        Column("attractiveness", ("吸引力",), "enum", Attractiveness),
        Column("relationship_state", ("关系状态", "关系现状"), "enum", RelationshipState),
        Column("potential", ("潜力", "潜在价值", "潜在销售额"), "money"),
        Column("notes", _NOTES, max_len=20_000, multiline=True),
    ),
    "contacts": (
        Column("account", _ACCOUNT, max_len=300),
        Column("name", ("full name", "contact", "contact name", "姓名", "名字", "联系人", "联系人姓名"), required=True),
        Column("title", ("job title", "position", "职务", "职位", "头衔", "岗位")),
        Column("rank_tier", ("rank", "职务等级", "级别", "层级", "职级"), "enum", RankTier),
        Column("buying_role", ("role", "采购角色", "角色"), "enum", BuyingRole),
        Column(
            "relationship_stage", ("stage", "relationship", "关系阶段", "关系等级", "关系"), "enum", RelationshipStage
        ),
        Column(
            "birthday", ("birth date", "date of birth", "birthdate", "dob", "生日", "出生日期", "出生年月"), "birthday"
        ),
        Column("birthday_calendar", ("calendar", "生日历法", "历法", "公历农历"), "enum", CalendarKind),
        Column("birthday_leap_month", ("leap month", "闰月"), "bool"),
        Column("city", ("城市", "所在城市", "现居城市", "现居地")),
        Column("hometown", ("籍贯", "家乡", "老家", "祖籍")),
        Column("mobile", ("mobile phone", "cell", "cell phone", "手机", "手机号", "手机号码", "移动电话"), max_len=100),
        Column(
            "phone",
            ("telephone", "tel", "work phone", "office phone", "电话", "座机", "办公电话", "固定电话", "联系电话"),
            max_len=100,
        ),
        Column(
            "email",
            ("e-mail", "mail", "email address", "邮箱", "电子邮件", "电子邮箱", "邮件", "邮箱地址"),
            max_len=320,
        ),
        Column("wechat", ("weixin", "wechat id", "微信", "微信号"), max_len=100),
        Column("address", ("地址", "通讯地址", "联系地址"), max_len=2_000, multiline=True),
        Column("interests", ("hobbies", "兴趣", "爱好", "兴趣爱好"), max_len=5_000),
        Column("preferences", ("likes", "喜好", "偏好"), max_len=5_000),
        Column("taboos", ("dislikes", "禁忌", "忌讳"), max_len=5_000),
        Column("like_tags", ("like tags", "喜好标签", "喜好標籤", "爱好标签"), "likes"),
        Column("taboo_tags", ("taboo tags", "禁忌标签", "禁忌標籤", "忌讳标签"), "taboos"),
        Column("personality_type", ("personality", "性格类型", "性格"), "enum", PersonalityType),
        Column("notes", _NOTES, max_len=20_000, multiline=True),
    ),
    "team": (
        Column("name", ("full name", "姓名", "名字", "员工", "员工姓名"), required=True),
        Column("title", ("job title", "position", "职务", "职位")),
        Column("department", ("dept", "部门")),
        Column("rank_tier", ("rank", "职务等级", "级别", "职级"), "enum", RankTier),
        Column("role", ("team role", "角色", "岗位", "团队角色"), "enum", TeamRole),
        Column("email", ("e-mail", "mail", "邮箱", "电子邮件"), max_len=320),
        Column("phone", ("mobile", "telephone", "电话", "手机", "手机号"), max_len=100),
        Column("active", ("在职", "有效"), "bool"),
    ),
    "activities": (
        Column("kind", ("type", "activity", "类型", "活动类型", "方式"), "enum", ActivityKind, required=True),
        Column("status", ("状态",), "enum", ActivityStatus),
        Column("account", _ACCOUNT, max_len=300),
        Column("contact", ("contact name", "person", "联系人", "客户联系人", "对象"), max_len=200),
        Column("member", _MEMBER),
        Column("due_on", ("due", "date", "planned date", "计划日期", "日期", "到期日", "预定日期"), "date"),
        Column("start_time", ("time", "时间", "开始时间"), "time"),
        Column("occurred_at", ("done at", "occurred", "发生时间", "完成时间", "实际时间"), "datetime"),
        Column("duration_minutes", ("duration", "minutes", "时长", "时长分钟", "分钟"), "int"),
        Column("subject", ("topic", "主题", "事项", "内容"), max_len=300),
        Column("location", ("place", "地点"), max_len=300),
        Column("notes", _NOTES, max_len=20_000, multiline=True),
        Column("outcome", ("result", "结果", "成果"), max_len=20_000, multiline=True),
        Column("important", ("重要",), "bool"),
    ),
    "gifts": (
        Column("direction", ("方向", "送出收到"), "enum", GiftDirection),
        Column("kind", ("type", "类型", "礼品类型", "类别"), "enum", GiftKind, required=True),
        Column("item", ("gift", "what", "礼品", "物品", "礼品名称", "名称"), required=True, max_len=300),
        Column("value", ("amount", "price", "金额", "价值", "价格"), "money"),
        Column("given_on", ("date", "given", "日期", "赠送日期", "时间"), "date", required=True),
        Column("account", _ACCOUNT, max_len=300),
        Column("contact", ("contact name", "person", "recipient", "联系人", "对象", "收礼人"), max_len=200),
        Column("member", _MEMBER),
        Column("occasion", ("reason", "场合", "事由", "节日")),
        Column("approved_by", ("approver", "审批人", "批准人"), max_len=100),
        Column("notes", _NOTES, max_len=20_000, multiline=True),
    ),
    "catalogue": (
        Column(
            "name",
            ("item", "gift", "名称", "礼品", "礼品名称", "物品", "品名", "禮品", "名稱"),
            required=True,
            max_len=300,
        ),
        Column("kind", ("type", "类型", "類型", "礼品类型", "種類"), "enum", GiftKind),
        Column("occasions", ("occasion", "festivals", "场合", "場合", "适用场合", "節日", "节日"), "occasions"),
        Column("category", ("类别", "類別", "品类", "品類", "分类", "分類"), "category"),
        Column("attributes", ("tags", "属性", "屬性", "特性", "成分"), "attributes"),
        Column("cost", ("unit cost", "price", "单价", "單價", "价格", "價格", "成本"), "money"),
        Column("supplier", ("vendor", "供应商", "供應商", "商家"), max_len=200),
        Column("origin", ("place of origin", "产地", "產地", "原产地", "出处"), max_len=100),
        Column(
            "story",
            ("notes", "description", "来历", "來歷", "故事", "说明", "備註", "备注"),
            max_len=5_000,
            multiline=True,
        ),
        Column("active", ("在用", "启用", "啟用", "有效"), "bool"),
    ),
}


def export_headers(kind: str) -> list[str]:
    """The canonical headers an export of `kind` writes (visits are activities of kind visit)."""
    return [c.name for c in COLUMNS["activities" if kind == "visits" else kind]]


# Header mapping -------------------------------------------------------------------------------
def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)  # "生日(农历)", "name (required)"
    return re.sub(r"[\s_\-*:：/]+", "", text)


@cache
def _header_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS[kind]:
        table.setdefault(_header_key(column.name), column.name)
    for column in COLUMNS[kind]:
        for alias in column.aliases:
            table.setdefault(_header_key(alias), column.name)
    return table


@dataclass(frozen=True)
class HeaderMap:
    """Which column of the file feeds which field, and the columns nothing reads."""

    fields: dict[int, str]
    unused: list[str]
    width: int


def suggest_fields(kind: str, headers: Sequence[str]) -> dict[int, str]:
    """Column index → field for the header cells that name a field (the first column naming it wins)."""
    if kind not in COLUMNS:
        raise ValueError(kind)
    table = _header_table(kind)
    fields: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = table.get(_header_key(header)) if header.strip() else None
        if name is not None and name not in fields.values():
            fields[index] = name
    return fields


def importable_fields(kind: str) -> list[str]:
    """The fields an import of `kind` can fill (export-only columns left out), in file order."""
    return [c.name for c in COLUMNS[kind] if not c.export_only]


def map_headers(kind: str, headers: Sequence[str], chosen: dict[int, str] | None = None) -> HeaderMap:
    """Match a file's header cells to fields (or take a person's `chosen` mapping); a required field with no
    column, an unknown field or a field given twice is a TableError."""
    fields = suggest_fields(kind, headers) if chosen is None else dict(chosen)
    if chosen is not None:
        known = set(importable_fields(kind))
        for index, name in fields.items():
            if name not in known or not 0 <= index < len(headers):
                raise TableError(_("Column {column} cannot be read as “{field}”.").format(column=index + 1, field=name))
        doubled = sorted({n for n in fields.values() if list(fields.values()).count(n) > 1})
        if doubled:
            raise TableError(
                _("More than one column is read as: {fields}. Choose one column for each.").format(
                    fields=", ".join(doubled)
                )
            )
    unused = [h for i, h in enumerate(headers) if i not in fields and h.strip()]
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in fields.values()]
    if missing:
        raise TableError(
            _(
                "The header row (row 1) has no column for: {missing}. Found: {found}. "
                "Name the columns as in: {expected}."
            ).format(
                missing=", ".join(missing),
                found=", ".join(h for h in headers if h.strip()) or "-",
                expected=", ".join(export_headers(kind)),
            )
        )
    return HeaderMap(fields, unused, len(headers))


# Values --------------------------------------------------------------------------------------
class ValueProblem(ValueError):
    """A cell that cannot be read as its field; the message is for a person."""


#: Words people write for the enumerations beside their values and translated labels.
EXTRA_ALIASES: dict[type[LabelledEnum], dict[str, tuple[str, ...]]] = {
    CalendarKind: {
        "solar": ("公历", "阳历", "新历", "西历", "gregorian", "陽曆", "公曆"),
        "lunar": ("农历", "阴历", "旧历", "農曆", "陰曆", "chinese"),
    },
    BuyingRole: {
        "decision_maker": ("决策者", "决策人", "拍板人", "決策者", "decider"),
        "user": ("使用者", "用户"),
        "advisor": ("顾问", "顧問", "adviser"),
        "gatekeeper": ("把关者", "守门人", "把關者"),
        "outsider": ("外部人士", "外部人员"),
        "supporter": ("支持者", "教练", "支持者（教练）", "coach", "教練"),
    },
    RankTier: {
        "owner": ("老板", "总经理", "副总", "正副总", "董事长", "总裁", "高层", "老闆", "gm", "vp", "boss"),
        "manager": ("经理", "总监", "正副总监", "中层", "經理", "director"),
        "staff": ("工程师", "技术员", "主管", "采购员", "采购", "基层", "engineer", "purchaser", "supervisor"),
        "clerk": ("文员", "助理", "工厂员工", "员工", "assistant"),
    },
    RelationshipStage: {
        "stranger": ("陌生", "陌生人"),
        "acquainted": ("认识", "認識"),
        "ordinary_friend": ("普通朋友",),
        "good_friend": ("好朋友",),
        "ordinary_brother": ("普通兄弟",),
        "good_brother": ("好兄弟",),
        "best_friend": ("死党", "死黨", "铁哥们"),
    },
    SalesStage: {
        "potential": ("潜在客户", "潜在"),
        "trial": ("试用客户", "试用"),
        "intent": ("意向客户", "意向"),
        "quasi": ("准客户",),
        "formal": ("正式客户", "正式"),
    },
    CycleStage: {
        "breakthrough": ("突破期", "突破"),
        "consolidation": ("巩固期", "巩固"),
        "growth": ("成长期", "成长"),
        "harvest": ("收获期", "收获"),
        "defense": ("防御期", "防御", "defence"),
        "hibernation": ("冬眠期", "冬眠"),
        "pause": ("暂停期", "暂停"),
    },
    RelationshipType: {
        "vendor": ("卖主关系", "卖主"),
        "preferred_supplier": ("被优先考虑的供应商", "优先供应商"),
        "partner": ("合作伙伴关系", "合作伙伴"),
        "strategic_alliance": ("战略联盟关系", "战略联盟"),
    },
    PersonalityType: {
        "rational": ("理智型",),
        "task_driven": ("任务型",),
        "demanding": ("贪婪型", "greedy"),
        "owner_minded": ("主人翁型",),
        "credit_seeking": ("抢功型",),
        "stingy": ("吝啬型",),
        "difficult": ("刁蛮型", "刁蠻型"),
        "relationship": ("关系型", "friend"),
        "composite": ("综合型",),
    },
    ActivityKind: {
        "call": ("电话", "打电话", "phone"),
        "email": ("邮件", "电子邮件", "e-mail"),
        "visit": ("拜访", "来访", "走访"),
        "meeting": ("会议", "会面", "见面"),
        "greeting": ("问候", "祝福"),
        "note": ("备注", "记录"),
    },
    ActivityStatus: {
        "planned": ("计划中", "计划", "待办", "未完成"),
        "done": ("已完成", "完成", "completed"),
        "cancelled": ("已取消", "取消", "canceled"),
    },
    GiftKind: {
        "everyday": ("日常礼品", "日常"),
        "holiday": ("节假日礼品", "节日礼品", "节日"),
        "special": ("特殊礼品", "特殊"),
        "meal": ("宴请", "吃饭", "餐饮"),
        "entertainment": ("娱乐",),
        "trip": ("出行", "旅游", "旅行"),
    },
    GiftDirection: {"given": ("送出", "赠送", "送"), "received": ("收到", "收受", "收")},
    Attractiveness: {"high": ("高",), "medium": ("中",), "low": ("低",)},
}


def _value_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text).strip().lower())


def _catalog(language: str) -> dict[str, str]:
    from kamdesk.i18n import load_catalog

    try:
        return load_catalog(language)
    except Exception:  # a missing catalogue only loses the translated labels as aliases
        return {}


@cache
def _enum_table(enum: type[LabelledEnum]) -> dict[str, str]:
    """Every accepted spelling of an enumeration's members → the member's value."""
    table: dict[str, str] = {}
    for member in enum:
        table[_value_key(member.value)] = member.value
    for member in enum:
        table.setdefault(_value_key(member.name), member.value)
        for alias in EXTRA_ALIASES.get(enum, {}).get(member.value, ()):
            table.setdefault(_value_key(alias), member.value)
    catalogs = [{}, _catalog("zh_CN"), _catalog("zh_TW")]
    for member in enum:
        english = enum._labels().get(member.value, "")
        if not english:
            continue
        for catalog in catalogs:
            label = catalog.get(english, english)
            table.setdefault(_value_key(label), member.value)
            for part in re.split(r"[/／()（）,，]", label):
                if part.strip():
                    table.setdefault(_value_key(part), member.value)
    return table


def parse_enum(enum: type[LabelledEnum], text: str) -> str:
    """The member value for a cell: its value, English or Chinese label, or a common synonym."""
    table = _enum_table(enum)
    found = table.get(_value_key(text)) or table.get(_value_key(vocabulary.normalise(text)))  # 節日 → 节日
    if found is None:
        raise ValueProblem(
            _("“{text}” is not one of: {choices}.").format(
                text=text.strip()[:60], choices=", ".join(m.value for m in enum)
            )
        )
    return found


_YES = {"yes", "y", "true", "1", "是", "对", "√", "x", "on"}
_NO = {"no", "n", "false", "0", "否", "不", "", "off"}


def parse_bool(text: str) -> bool:
    key = _value_key(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueProblem(_("“{text}” is not yes or no.").format(text=text.strip()[:60]))


_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEARLESS = re.compile(r"^(?:--)?(\d{1,2})\s*[-月]\s*(\d{1,2})\s*日?$|^--(\d{2})(\d{2})$")
_DAY_FIRST = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")
_TIME = re.compile(r"^(\d{1,2})[:：](\d{2})(?::\d{2}(?:\.\d+)?)?$")


def _real_date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(_("“{text}” is not a real date.").format(text=text)) from None


def parse_date(text: str) -> dt.date:
    """A day written as 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日 or 20260105."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    cleaned = re.sub(r"[T ]00:00(:00)?(\.0+)?$", "", cleaned)
    match = _FULL_DATE.match(cleaned) or _COMPACT_DATE.match(cleaned)
    if match:
        return _real_date(text.strip(), int(match[1]), int(match[2]), int(match[3]))
    if _DAY_FIRST.match(cleaned):
        raise ValueProblem(
            _("“{text}” is ambiguous; write dates year first, e.g. 2026-01-05.").format(text=text.strip()[:40])
        )
    raise ValueProblem(_("“{text}” is not a date; write it as 2026-01-05.").format(text=text.strip()[:40]))


def parse_datetime(text: str) -> dt.datetime:
    """A moment written as a date and an optional time (2026-01-05 14:30, 2026/1/5 14:30)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("T", " ")
    day_text, _sep, time_text = cleaned.partition(" ")
    day = parse_date(day_text)
    if not time_text.strip():
        return dt.datetime.combine(day, dt.time())
    return dt.datetime.combine(day, parse_time(time_text))


def parse_time(text: str) -> dt.time:
    match = _TIME.match(unicodedata.normalize("NFKC", text).strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueProblem(_("“{text}” is not a time of day; write it as 14:30.").format(text=text.strip()[:40]))
    return dt.time(int(match[1]), int(match[2]))


def parse_birthday(text: str, calendar: str = "solar", leap: bool = False) -> PersonalDate:
    """A birthday with or without its year; "农历" or "闰" in the text mark a lunar or leap-month date."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    for word, kind in (("农历", "lunar"), ("阴历", "lunar"), ("農曆", "lunar"), ("公历", "solar"), ("阳历", "solar")):
        if cleaned.startswith(word):
            calendar, cleaned = kind, cleaned[len(word) :].strip()
    if "闰" in cleaned or "閏" in cleaned:
        leap, cleaned = True, cleaned.replace("闰", "").replace("閏", "")
    cleaned = re.sub(r"[T ]\d{2}:\d{2}(:\d{2})?Z?$", "", cleaned)
    match = _FULL_DATE.match(cleaned) or _COMPACT_DATE.match(cleaned)
    if match:
        date = PersonalDate(calendar, int(match[1]), int(match[2]), int(match[3]), leap)
    else:
        yearless = _YEARLESS.match(cleaned)
        if not yearless:
            if _DAY_FIRST.match(cleaned):
                raise ValueProblem(
                    _("“{text}” is ambiguous; write dates year first, e.g. 2026-01-05.").format(text=text.strip()[:40])
                )
            raise ValueProblem(
                _("“{text}” is not a date; write it as 1985-03-12, or 03-12 without the year.").format(
                    text=text.strip()[:40]
                )
            )
        month, day = (yearless[1], yearless[2]) if yearless[1] else (yearless[3], yearless[4])
        date = PersonalDate(calendar, None, int(month), int(day), leap)
    problem = checked_date(date)
    if problem:
        raise ValueProblem(_("“{text}”: {problem}").format(text=text.strip()[:40], problem=problem))
    return date


@cache
def _lunar_year(year: int) -> tuple[int, dict[int, int]]:
    """(leap month or 0, days of each month; the leap month negative) of one lunar year."""
    from lunar_python import LunarYear

    lunar = LunarYear.fromYear(year)
    return lunar.getLeapMonth(), {m.getMonth(): m.getDayCount() for m in lunar.getMonths() if m.getYear() == year}


def checked_date(date: PersonalDate) -> str:
    """`check_date`, with each lunar year worked out once (an import meets the same years thousands of times)."""
    if (
        date.calendar != "lunar"
        or date.year is None
        or not 1900 <= date.year <= 2100
        or not 1 <= date.month <= 12
        or not 1 <= date.day <= 30
    ):
        return check_date(date)
    leap, days = _lunar_year(date.year)
    if date.leap_month and leap != date.month:
        return check_date(date)  # the message names the year's real leap month
    if date.day > days[-date.month if date.leap_month else date.month]:
        return check_date(date)
    return ""


def format_birthday(date: PersonalDate | None) -> str:
    """The text `parse_birthday` reads back: 1985-03-12, or 03-12 without the year."""
    if date is None:
        return ""
    if date.year is None:
        return f"{date.month:02d}-{date.day:02d}"
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


def format_money(cents: int | None) -> Decimal | None:
    """Cents as an exact amount for a file (12345 → 123.45)."""
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _parse_int(text: str) -> int:
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if not re.fullmatch(r"\d{1,9}", cleaned):
        raise ValueProblem(_("“{text}” is not a whole number.").format(text=text.strip()[:40]))
    return int(cleaned)


def _parse_text(column: Column, text: str) -> str:
    """A text cell stripped, or ValueProblem when it is longer than the field or holds control characters."""
    value = text.strip()
    if len(value) > column.max_len:
        raise ValueProblem(
            _("too long ({length} characters; at most {limit}).").format(length=len(value), limit=column.max_len)
        )
    # The editors refuse what an import would otherwise slip in: a line break in a one-line field, or codes
    # that are invisible on screen.
    allowed = "\n\r\t" if column.multiline else ""
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        if not column.multiline and ("\n" in value or "\r" in value):
            raise ValueProblem(_("holds a line break, but this field is one line in kamdesk."))
        raise ValueProblem(_("holds control characters (invisible codes that are not text); retype it."))
    return value


def parse_cell(column: Column, text: str, today: dt.date) -> Any:
    """The typed value of a non-empty cell for a column, or ValueProblem."""
    kind = column.form
    if kind == "text":
        return _parse_text(column, text)
    if kind == "enum":
        assert column.enum is not None
        return parse_enum(column.enum, text)
    if kind == "date":
        return parse_date(text)
    if kind == "datetime":
        return parse_datetime(text)
    if kind == "time":
        return parse_time(text).strftime("%H:%M")
    if kind == "birthday":
        return text.strip()  # read with the calendar column, in check_row
    if kind in ("money", "signed_money"):
        try:
            return parse_money(text, allow_negative=kind == "signed_money")
        except AccountRuleError as exc:
            raise ValueProblem(str(exc)) from None
    if kind == "int":
        return _parse_int(text)
    if kind == "bool":
        return parse_bool(text)
    if kind == "period":
        try:
            return parse_period(text, today).key
        except AccountRuleError as exc:
            raise ValueProblem(str(exc)) from None
    if kind in TAG_FORMS:
        return parse_tag_cell(kind, text)
    raise AssertionError(kind)


#: The tag forms of a cell and the tags each accepts.
TAG_FORMS: dict[str, tuple[str, ...]] = {
    "occasions": vocabulary.OCCASIONS,
    "category": vocabulary.CATEGORIES,
    "attributes": vocabulary.ATTRIBUTES,
    "likes": vocabulary.LIKE_TAGS,
    "taboos": vocabulary.TABOO_TAGS,
}
_TAG_UNKNOWN = {
    "occasions": N_("unknown occasion: {names}. Use: {known}."),
    "category": N_("unknown category: {names}. Use one of: {known}."),
    "attributes": N_("unknown attribute: {names}. Use: {known}."),
    "likes": N_("unknown taste or interest: {names}. Use: {known}."),
    "taboos": N_("unknown taboo: {names}. Use: {known}."),
}


def parse_tag_cell(form: str, text: str) -> frozenset[str] | str:
    """Codes for a cell of occasions, attributes, likes or taboos (codes, English or Chinese labels,
    separated by commas, 、 or ；), or one category code; an unknown name is a ValueProblem."""
    allowed = TAG_FORMS[form]
    tags, unknown = vocabulary.tags_from_cell(text, allowed)
    if form == "category" and len(tags) > 1:
        raise ValueProblem(_("give one category, not {count}.").format(count=len(tags)))
    if unknown:
        known = ", ".join(f"{code} ({vocabulary.tag_label(code)})" for code in allowed)
        names = ", ".join(f"“{name[:40]}”" for name in unknown[:5])
        raise ValueProblem(_(_TAG_UNKNOWN[form]).format(names=names, known=known))
    return next(iter(tags)) if form == "category" else tags


# Rows ----------------------------------------------------------------------------------------
@dataclass
class CheckedRow:
    """One data row as read: typed values by field, and every problem found in it."""

    row: int
    values: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    duplicate_of: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _columns_by_name(kind: str) -> dict[str, Column]:
    return {c.name: c for c in COLUMNS[kind]}


def check_row(
    kind: str,
    header: HeaderMap,
    number: int,
    cells: Sequence[str],
    today: dt.date,
    table_problems: dict[int, list[str]] | None = None,
) -> CheckedRow:
    """Read one row's cells into typed values, collecting a message for each cell that is wrong.

    A row the file reader already found unreadable (`table_problems`) is refused with those reasons alone.
    """
    columns = _columns_by_name(kind)
    checked = CheckedRow(number, {})
    if table_problems and number in table_problems:
        checked.problems.extend(table_problems[number])
        return checked
    extra = [c for c in cells[header.width :] if c.strip()]
    if extra:
        checked.problems.append(
            _(
                "the row has {cells} cells but the header has {columns} columns; the extra "
                "“{extra}” has no column (an unquoted comma?)"
            ).format(cells=header.width + len(cells[header.width :]), columns=header.width, extra=", ".join(extra)[:60])
        )
    for index, name in header.fields.items():
        column = columns[name]
        text = cells[index] if index < len(cells) else ""
        if column.export_only or not text.strip():
            continue
        try:
            checked.values[name] = parse_cell(column, text, today)
        except ValueProblem as exc:
            checked.problems.append(_("{column}: {problem}").format(column=name, problem=str(exc)))
    for column in COLUMNS[kind]:
        if (
            column.required
            and column.name not in checked.values
            and not any(p.startswith(column.name + ":") for p in checked.problems)
        ):
            checked.problems.append(_("{column}: this column must not be empty.").format(column=column.name))
    ROW_CHECKS.get(kind, _no_check)(checked, today)
    return checked


def _no_check(row: CheckedRow, today: dt.date) -> None:
    return None


def _check_contact(row: CheckedRow, today: dt.date) -> None:
    values = row.values
    if "birthday" in values:
        try:
            values["birthday"] = parse_birthday(
                values["birthday"],
                values.get("birthday_calendar", "solar"),
                bool(values.get("birthday_leap_month", False)),
            )
        except ValueProblem as exc:
            del values["birthday"]
            row.problems.append(_("{column}: {problem}").format(column="birthday", problem=str(exc)))
    try:
        detail = contact_detail(values)
        detail.birthday = None  # checked above, and costly to check twice
        validate_contact(detail, {}, today)
    except ContactValidationError as exc:
        reported = {p.split(":", 1)[0] for p in row.problems}
        row.problems.extend(
            _("{column}: {problem}").format(column=key, problem=message)
            for key, message in exc.errors.items()
            if key not in reported
        )


def _check_account(row: CheckedRow, today: dt.date) -> None:
    values = row.values
    if "name" in values:
        try:
            validate_account(
                AccountDetail(
                    name=values["name"],
                    city=values.get("city", ""),
                    province=values.get("province", ""),
                    industry=values.get("industry", ""),
                    potential_cents=values.get("potential"),
                )
            )
        except AccountValidationError as exc:
            reported = {p.split(":", 1)[0] for p in row.problems}
            row.problems.extend(
                _("{column}: {problem}").format(column=key, problem=message)
                for key, message in exc.errors.items()
                if key not in reported
            )
    value, profit = values.get("value"), values.get("profit")
    if profit is not None and value is None:
        row.problems.append(_("profit: a profit needs the value (revenue) of the same period."))
    elif profit is not None and value is not None and profit > value:
        row.problems.append(_("profit: profit cannot be larger than revenue."))
    if "value_period" in values and "value" not in values:
        values.pop("value_period")


def _check_catalogue(row: CheckedRow, today: dt.date) -> None:
    values = row.values
    if values.get("kind") not in (None, "everyday", "holiday", "special"):
        row.problems.append(_("kind: a catalogue item is an everyday, holiday or special gift."))
    if values.get("cost", 0) > MAX_VALUE_CENTS:
        row.problems.append(
            _("cost: {value} is not a believable unit cost.").format(value=f"{values['cost'] / 100:,.0f}")
        )
    if "kind" not in values:
        values["kind"] = kind_for_occasions(values.get("occasions", frozenset()))


def kind_for_occasions(occasions: frozenset[str]) -> str:
    """The older kind (everyday, holiday, special) an item's occasions amount to."""
    if occasions & {"mid_autumn", "spring_festival", "dragon_boat", "any_festival"} or not occasions:
        return "holiday"
    return "special" if "special" in occasions else "everyday"


def catalogue_item(values: dict[str, Any]) -> CatalogueItem:
    """The catalogue item a checked row describes."""
    return CatalogueItem(
        values["name"],
        values.get("kind", "holiday"),
        values.get("cost") or 0,
        values.get("supplier", ""),
        values.get("story", ""),
        values.get("active", True),
        occasions=values.get("occasions", frozenset()),
        category=values.get("category", ""),
        attributes=values.get("attributes", frozenset()),
        origin=values.get("origin", ""),
    )


def _check_activity(row: CheckedRow, today: dt.date) -> None:
    values = row.values
    if "due_on" not in values and "occurred_at" not in values and row.ok:
        row.problems.append(_("due_on: give the date it is planned for, or occurred_at for when it happened."))
    values.setdefault("status", "done" if "occurred_at" in values and "due_on" not in values else "planned")


ROW_CHECKS: dict[str, Callable[[CheckedRow, dt.date], None]] = {
    "contacts": _check_contact,
    "accounts": _check_account,
    "activities": _check_activity,
    "catalogue": _check_catalogue,
}


def check_table(
    kind: str,
    table: Table,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
    mapping: dict[int, str] | None = None,
) -> tuple[HeaderMap, list[CheckedRow]]:
    """Map the headers (or take `mapping`) and check every row of a table (progress every few thousand rows)."""
    header, rows = check_rows(kind, table, today, progress, mapping)
    return header, list(rows)


def check_rows(
    kind: str,
    table: Table,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
    mapping: dict[int, str] | None = None,
) -> tuple[HeaderMap, Iterator[CheckedRow]]:
    """Map the headers at once (a TableError when a required column is missing), then check the rows one by one
    as they are asked for: a streamed sheet (`SheetRows`) is read as it is checked, never held whole. Progress
    says rows done of rows in all (the sheet's own claim while a streamed sheet is read; never below done)."""
    header = map_headers(kind, table.headers, mapping)
    one_line = [i for i, name in header.fields.items() if not _columns_by_name(kind)[name].multiline]

    def checked() -> Iterator[CheckedRow]:
        rows = table.rows

        def total() -> int:
            return row_estimate(rows)

        index = 0
        reported = (0, 0)
        for index, (number, cells) in enumerate(rows, start=1):
            row = check_row(kind, header, number, cells, today, table.problems)
            if number in table.lines and any("\n" in cells[i] or "\r" in cells[i] for i in one_line if i < len(cells)):
                first, last = table.lines[number]
                row.problems.append(
                    _(
                        "lines {first}–{last} of the file were read as this one row: a quote opened on "
                        "line {first} closes only on line {last}. If a quote is missing, add it and "
                        "import again."
                    ).format(first=first, last=last)
                )
            yield row
            if progress is not None and index % 2_000 == 0:
                reported = (index, max(total(), index))
                progress(*reported)
        if progress is not None and index and reported != (index, index):
            progress(index, index)  # the last report says all were done, whatever a streamed sheet claimed

    return header, checked()


def contact_detail(values: dict[str, Any]) -> ContactDetail:
    """The contact card a checked row describes (its company is resolved later, by name)."""
    likes, taboos = contact_tags(values)
    return ContactDetail(
        name=values.get("name", ""),
        title=values.get("title", ""),
        rank_tier=values.get("rank_tier"),
        buying_role=values.get("buying_role"),
        relationship_stage=values.get("relationship_stage", "stranger"),
        mobile=values.get("mobile", ""),
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        wechat=values.get("wechat", ""),
        address=values.get("address", ""),
        birthday=values.get("birthday"),
        city=values.get("city", ""),
        hometown=values.get("hometown", ""),
        interests=values.get("interests", ""),
        preferences=values.get("preferences", ""),
        taboos=values.get("taboos", ""),
        personality_type=values.get("personality_type"),
        notes=values.get("notes", ""),
        like_tags=likes,
        taboo_tags=taboos,
    )


def contact_tags(values: dict[str, Any]) -> tuple[frozenset[str], frozenset[str]]:
    """A row's like and taboo tags: the file's tag columns when it has them, else the vocabulary's
    reading of its interests, preferences and taboos."""
    if "like_tags" in values or "taboo_tags" in values:
        return values.get("like_tags", frozenset()), values.get("taboo_tags", frozenset())
    texts = (values.get("interests", ""), values.get("preferences", ""), values.get("taboos", ""))
    return vocabulary.suggest_contact_tags(*texts) if any(texts) else (frozenset(), frozenset())


def phone_key(text: str) -> str:
    """A phone number reduced to its digits for comparing (+86 138-0013-8000 ≡ 13800138000)."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits
