"""How to order a business meal (domain.md §13, seed 000): how many dishes, which kinds, soup, cold starters,
colours, rice, length, and the guests' taboos."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kamdesk.i18n import N_, _

#: For more than five people the dishes are spread over these kinds, in this order (seed 000).
DISH_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("poultry", N_("poultry")),
    ("meat", N_("meat")),
    ("seafood", N_("fish or seafood")),
    ("vegetables", N_("vegetables")),
    ("tofu", N_("tofu")),
    ("bamboo", N_("bamboo shoots")),
    ("mushrooms", N_("mushrooms")),
    ("seaweed", N_("seaweed")),
)
#: Kinds a guest's taboo rules out.
_RULED_OUT = {
    "vegetarian": {"poultry", "meat", "seafood"},
    "meat": {"poultry", "meat"},
    "seafood": {"seafood"},
}
STAPLES = (
    ("rice", N_("Rice")),
    ("noodles", N_("Noodles or dumplings")),
    ("buns", N_("Steamed buns or bread")),
    ("", N_("Not decided")),
)
GUANGDONG = "440000"


@dataclass(frozen=True)
class MealRequest:
    """What the guide needs: the people at the table, the place, the staple and the guests' taboos."""

    headcount: int
    fine_restaurant: bool = False
    province_code: str | None = None  # where the meal is (places.province_code); Guangdong gets a soup
    staple: str = ""  # a key of STAPLES
    taboo_tags: frozenset[str] = frozenset()  # every guest's taboo tags together (gift vocabulary codes)


@dataclass(frozen=True)
class MealGuide:
    dishes: int
    cold_starters: int  # if any are ordered, at least this many (0: none needed)
    spread: bool  # over five people: spread over the kinds
    advice: str  # every line below in one paragraph
    soup: bool = False
    categories: tuple[str, ...] = ()  # keys of DISH_CATEGORIES, one per dish to spread (when `spread`)
    lines: tuple[str, ...] = ()
    drinks: str = ""  # what to drink, never alcohol for a table with a non-drinker
    avoid: tuple[str, ...] = field(default_factory=tuple)  # what the guests' taboos rule out


def meal_guide(
    headcount: int,
    fine_restaurant: bool = False,
    *,
    province_code: str | None = None,
    staple: str = "",
    taboo_tags: Iterable[str] = (),
) -> MealGuide:
    """The ordering guide for one meal (see `guide`)."""
    return guide(MealRequest(headcount, fine_restaurant, province_code, staple, frozenset(taboo_tags)))


def guide(request: MealRequest) -> MealGuide:
    """Two people: a buffet, or about three dishes (four somewhere fine) mixing cold, meat and vegetable, and
    in Guangdong a small soup. Three or more: one dish more than the people; over five, spread over the kinds.
    Cold starters, if any, at least two. Colours, nothing counted by the piece, dishes that go with rice, the
    meal kept to its purpose and length, and nothing a guest avoids."""
    people = request.headcount
    if people <= 0:
        return MealGuide(0, 0, False, _("Give the headcount to see the ordering guide."))
    taboos = {t.strip().lower() for t in request.taboo_tags if t.strip()}
    if taboos & {"halal", "muslim"}:  # 清真: no pork, no alcohol
        taboos |= {"pork", "alcohol"}
    lines: list[str] = []
    if people <= 2:
        dishes = 4 if request.fine_restaurant else 3
        lines.append(_("Two at the table: a buffet suits best."))
        lines.append(
            _("If you order: about {n} dishes (two look thin), mixing a cold dish, a meat and a vegetable.").format(
                n=dishes
            )
        )
        cold = 0
    else:
        dishes = people + 1
        lines.append(
            _("{people} at the table: order {n} dishes, one more than the people.").format(people=people, n=dishes)
        )
        cold = 2
        lines.append(_("Cold starters are optional; if you order them, take at least two."))
    soup = request.province_code == GUANGDONG
    if soup:
        lines.append(_("In Guangdong: add a small soup."))
    spread = people > 5
    categories: tuple[str, ...] = ()
    if spread:
        allowed = [key for key, _label in DISH_CATEGORIES if not any(key in _RULED_OUT.get(t, ()) for t in taboos)]
        categories = tuple(allowed[i % len(allowed)] for i in range(dishes)) if allowed else ()
        labels = dict(DISH_CATEGORIES)
        shown = ", ".join(_(labels[k]) for k in dict.fromkeys(categories))
        lines.append(_("Spread the dishes over the categories, one kind each: {kinds}.").format(kinds=shown))
    if taboos & {"vegetarian", "meat"}:  # 荤素搭配 does not hold for a guest who eats no meat
        lines.append(
            _(
                "A guest eats no meat: vary vegetables, tofu, mushrooms and the house's meatless speciality, never "
                "two dishes of the same kind, and nothing cooked in meat stock."
            )
        )
    else:
        lines.append(_("Mix meat and vegetables, include the house speciality, and never two dishes of the same kind."))
    lines.append(_("Mind the colours on the table: not everything brown or everything green."))
    lines.append(
        _("Avoid dishes served by the piece (buns, skewers, whole prawns): once taken, the plate is suddenly empty.")
    )
    if request.staple == "rice":
        lines.append(_("With rice as the staple, choose dishes that go well with rice."))
    avoid = _avoid(taboos)
    if avoid:
        lines.append(_("The guests avoid: {items}.").format(items=", ".join(avoid)))
    drinks = _drinks(taboos)
    lines.append(drinks)
    lines.append(_("Keep the meal to its purpose and do not let it run long."))
    return MealGuide(dishes, cold, spread, " ".join(lines), soup, categories, tuple(lines), drinks, tuple(avoid))


def _drinks(taboos: set[str]) -> str:
    """Never an alcohol a guest avoids: none at all for a non-drinker, and no baijiu, wine or beer for whoever
    avoids that one."""
    if "alcohol" in taboos:
        return _("No alcohol: tea, juice or soft drinks.")
    kinds = {"liquor": _("baijiu"), "wine": _("wine"), "beer": _("beer")}
    avoided = [label for key, label in kinds.items() if key in taboos]
    if avoided:
        return _("No {drinks} at this table; tea or soft drinks, and keep any other alcohol light.").format(
            drinks=", ".join(avoided)
        )
    return _("Drinks as the occasion calls for; keep alcohol light.")


def _avoid(taboos: set[str]) -> list[str]:
    labels = {
        "alcohol": _("alcohol"),
        "pork": _("pork"),
        "beef": _("beef"),
        "spicy": _("spicy dishes"),
        "sweets": _("sweet dishes"),
        "sugar": _("sweet dishes"),
        "mutton": _("lamb and mutton"),
        "seafood": _("fish and seafood"),
        "nuts": _("nuts"),
        "dairy": _("dairy"),
        "vegetarian": _("meat and fish (vegetarian)"),
        "meat": _("meat"),
        "liquor": _("baijiu"),
        "wine": _("wine"),
        "beer": _("beer"),
    }
    return list(dict.fromkeys(labels[t] for t in sorted(taboos) if t in labels))
