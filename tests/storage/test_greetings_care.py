"""Greetings, care, sensitive events and regional outreach on a real team file, and `kamdesk propose` on the demo."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from kamdesk.domain.contacts import ContactDetail, ContactLink, StageUpdate
from kamdesk.domain.followups import CareSettings, ContactEvent
from kamdesk.domain.models import AccountDetail, AccountValue, TeamMember
from kamdesk.services.followups import FollowUpError
from kamdesk.services.workspace import ConflictError, Workspace, open_workspace

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def ws(tmp_path: Path):
    workspace = open_workspace(tmp_path / "team.kamdb", "王芳", create=True)
    workspace.clock.fix(TODAY)
    yield workspace
    workspace.close()


def _book(ws: Workspace) -> dict[str, int]:
    """One class A account (the only one, so top of the ranking) with four people, and a salesperson."""
    account, _ = ws.accounts.save(AccountDetail(name="兰州石化", values=[AccountValue("2026", 5_000_000, None)]))
    member = ws.team.save(TeamMember(0, "王芳", "销售经理", "销售部", "manager", "account_manager", True))

    def contact(name: str, rank: str, stage: str, **kw: str) -> int:
        return ws.contacts.save(
            ContactDetail(
                name=name,
                account_id=account,
                rank_tier=rank,
                links=[ContactLink(member, stage)],
                stage_update=StageUpdate(stage, TODAY - dt.timedelta(days=200)),
                **kw,  # type: ignore[arg-type]
            )
        )

    return {
        "account": account,
        "member": member,
        "boss": contact("曾国华", "owner", "good_brother", city="兰州", interests="爬山、围棋"),
        "buyer": contact("李娜", "staff", "good_friend", city="西安", hometown="甘肃天水"),
        "clerk": contact("赵敏", "clerk", "acquainted", city="Lanzhou"),
        "stranger": contact("钱多", "manager", "stranger", city="上海"),
    }


def test_a_sensitive_event_pauses_routine_items_proposes_one_caring_contact_and_ends(ws: Workspace):
    people = _book(ws)
    boss = people["boss"]
    event_id = ws.followups.save_event(
        ContactEvent(None, boss, "illness", TODAY, TODAY + dt.timedelta(days=20), "父亲住院，近期少打扰")
    )
    assert ws.followups.active_sensitive_contacts(TODAY) == {boss}
    # The agenda rules plan nothing routine for them while it lasts (everyone else is planned as usual).
    ws.followups.generate(TODAY, TODAY + dt.timedelta(days=14))
    planned = {(i.contact_id, i.reason) for i in ws.followups.agenda(None, days_ahead=14)}
    assert (people["buyer"], "cadence") in planned
    assert not {c for c, _r in planned} & {boss}
    # A business call someone had already planned is held back too; a hand-planned item stays.
    ws.followups.plan(kind="call", due_on=TODAY + dt.timedelta(days=2), contact_id=boss, reason="cadence")
    ws.followups.plan(kind="visit", due_on=TODAY + dt.timedelta(days=3), contact_id=boss, subject="探望")
    assert [i.subject for i in ws.followups.agenda(None, 14) if i.contact_id == boss] == ["探望"]
    # Care: one caring contact, no business, instead of care greetings.
    care = ws.followups.plan_care(TODAY, TODAY + dt.timedelta(days=90))
    theirs = [p for p in care.proposals if p.contact_id == boss]
    assert len(theirs) == 1 and theirs[0].extra["sensitive_event_id"] == event_id
    assert "no business" in theirs[0].item and theirs[0].date == TODAY
    # It ends on 21 December, well before the Spring Festival weeks: the festival greeting goes ahead. An open
    # bereavement lasting into those weeks holds the colleague's greeting back.
    ws.followups.save_event(ContactEvent(None, people["buyer"], "bereavement", TODAY, None, "母亲病故"))
    greetings = {p.contact_id for p in ws.followups.plan_greetings("spring_festival", 2027).proposals}
    assert boss in greetings and people["buyer"] not in greetings
    ws.followups.end_event(ws.followups.events(people["buyer"])[0], TODAY + dt.timedelta(days=10))
    # When the event has ended, everything resumes.
    ws.clock.fix(TODAY + dt.timedelta(days=21))
    assert ws.followups.active_sensitive_contacts() == set()
    care = ws.followups.plan_care(TODAY + dt.timedelta(days=21), TODAY + dt.timedelta(days=120))
    assert all("sensitive_event_id" not in p.extra for p in care.proposals if p.contact_id == boss)
    assert any(p.contact_id == boss for p in care.proposals)
    assert boss in {i.contact_id for i in ws.followups.agenda(None, 14)}  # the held-back call shows again


def test_sensitive_events_are_kept_changed_ended_and_deleted_with_versions(ws: Workspace):
    boss = _book(ws)["boss"]
    event_id = ws.followups.save_event(ContactEvent(None, boss, "bereavement", TODAY, None, "母亲病故"))
    (event,) = ws.followups.events(boss)
    assert (event.id, event.kind, event.ends_on, event.version) == (event_id, "bereavement", None, 1)
    ws.followups.end_event(event, TODAY + dt.timedelta(days=7))
    (ended,) = ws.followups.events(boss)
    assert ended.ends_on == TODAY + dt.timedelta(days=7) and ended.version == 2
    with pytest.raises(ConflictError):  # a stale editor cannot overwrite the change
        ws.followups.save_event(event)
    with pytest.raises(FollowUpError) as caught:
        ws.followups.save_event(ContactEvent(None, boss, "illness", TODAY, TODAY - dt.timedelta(days=1)))
    assert caught.value.field == "ends_on"
    ws.followups.delete_event(ended)
    assert ws.followups.events(boss) == []
    assert ws.followups.suggest_event("父亲住院，近期少打扰").kind == "illness"  # type: ignore[union-attr]


def test_greetings_follow_class_and_rank_and_leave_strangers_out(ws: Workspace):
    people = _book(ws)
    plan = ws.followups.plan_greetings("spring_festival", 2027)
    channels = {p.contact_id: p.extra["channel"] for p in plan.proposals}
    assert people["stranger"] not in channels
    assert channels[people["boss"]].startswith("visit") and channels[people["buyer"]] in ("personal", "card_with_gift")
    assert all(p.date is not None and p.date < dt.date(2027, 2, 6) for p in plan.proposals)
    with pytest.raises(FollowUpError, match="mid-autumn"):
        ws.followups.plan_greetings("christmas", 2027)


def test_confirming_puts_the_ticked_proposals_on_the_agenda_once(ws: Workspace):
    people = _book(ws)
    plan = ws.followups.plan_greetings("spring_festival", 2027)
    assert ws.followups.agenda(None, 120) == []  # proposing writes nothing
    ticked = [p for p in plan.proposals if p.contact_id in (people["boss"], people["buyer"])]
    assert ws.followups.confirm(ticked) == 2
    assert ws.followups.confirm(ticked) == 0
    items = {i.contact_id: i for i in ws.followups.agenda(None, 120)}
    assert set(items) == {people["boss"], people["buyer"]} and items[people["boss"]].reason == "festival"


def test_care_settings_are_saved_validated_and_used(ws: Workspace):
    people = _book(ws)
    assert ws.followups.care_settings() == CareSettings()
    care = ws.followups.plan_care(TODAY, TODAY + dt.timedelta(days=120))
    assert {p.contact_id for p in care.proposals} == {people["boss"], people["buyer"], people["clerk"]}
    ws.followups.save_care_settings(CareSettings(min_stage="good_friend", visits_per_day=2))
    assert ws.followups.care_settings().visits_per_day == 2
    care = ws.followups.plan_care(TODAY, TODAY + dt.timedelta(days=120))
    assert {p.contact_id for p in care.proposals} == {people["boss"], people["buyer"]}
    with pytest.raises(FollowUpError, match="1 to 12") as caught:
        ws.followups.save_care_settings(CareSettings(visits_per_day=0))
    assert caught.value.field == "visits_per_day"


@pytest.mark.parametrize("query", ["甘肃", "兰州", "Lanzhou", "兰州市", "gansu"])
def test_outreach_by_province_or_city_in_chinese_or_pinyin(ws: Workspace, query: str):
    people = _book(ws)
    plan = ws.followups.plan_outreach_proposals(query)
    found = {p.contact_id for p in plan.proposals}
    lanzhou = {people["boss"], people["clerk"]}
    assert found == (lanzhou | {people["buyer"]} if query in ("甘肃", "gansu") else lanzhou)
    assert {c for c, *_rest in ws.followups.outreach_candidates(query)} == found  # the window's search


def test_outreach_to_an_unknown_place_says_so(ws: Workspace):
    _book(ws)
    with pytest.raises(FollowUpError, match="Atlantis"):
        ws.followups.plan_outreach_proposals("Atlantis")


def test_the_meal_guide_reads_the_guests_taboos(ws: Workspace):
    boss = _book(ws)["boss"]
    from kamdesk.storage.tables import ContactRow

    with ws.db.write() as session:  # the tags as the contact card keeps them (gift vocabulary codes)
        row = session.get(ContactRow, boss)
        assert row is not None
        row.taboo_tags = "alcohol,spicy"
    guide = ws.followups.meal_guide(6, region="广州", staple="rice", guest_ids=[boss])
    assert guide.dishes == 7 and guide.soup and "No alcohol" in guide.drinks


# kamdesk propose on the demo ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kamdesk.services.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.kamdb"
    load_demo(path, "small", today=TODAY)
    return path


def _propose(demo: Path, *args: str) -> tuple[int, str]:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "kamdesk", "propose", str(demo), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**__import__("os").environ, "FAKETIME": ""},
        timeout=300,
    )
    # The rows are on stdout; the plan's total and notes (CSV) or an error message are on stderr.
    return run.returncode, run.stdout if run.returncode == 0 else run.stdout + run.stderr


def test_propose_greetings_care_and_outreach_on_the_demo(demo: Path):
    code, out = _propose(demo, "outreach", "--place", "甘肃")
    assert code == 0, out
    gansu = json.loads(out)
    assert gansu["kind"] == "outreach" and gansu["proposals"]
    code, out = _propose(demo, "outreach", "--place", "Lanzhou", "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {"contact", "account_class", "rank", "date", "item", "reason", "warnings"} <= set(rows[0])
    assert {r["contact_id"] for r in rows} <= {str(p["contact_id"]) for p in gansu["proposals"]}
    code, out = _propose(demo, "care", "--from", "2027-01-04", "--to", "2027-03-31")
    assert code == 0, out
    care = json.loads(out)
    assert care["proposals"] and all("2027-01-04" <= p["date"] <= "2027-03-31" for p in care["proposals"])
    assert {p["account_class"] for p in care["proposals"] if "sensitive_event_id" not in p["extra"]} <= {"A", "B", "C"}
    code, out = _propose(demo, "greetings", "--festival", "spring-festival", "--year", "2027")
    assert code == 0, out
    greetings = json.loads(out)
    people = [p["contact_id"] for p in greetings["proposals"]]
    assert people and len(people) == len(set(people)), "one item per person: greeting and gift merged"
    merged = [p for p in greetings["proposals"] if p["extra"]["channel"].endswith("_with_gift")]
    assert merged and all(p["cost"] > 0 and p["extra"]["gift"] in p["item"] for p in merged)
    visits = [(p["extra"]["member_id"], p["date"]) for p in greetings["proposals"] if "visit" in p["extra"]["channel"]]
    assert visits and max(visits.count(v) for v in visits) <= 4 and len({d for _m, d in visits}) > 1
    code, out = _propose(demo, "greetings", "--festival", "mid-autumn", "--year", "2027", "--format", "csv")
    assert code == 0 and out.startswith("kind,contact_id"), out
    code, out = _propose(demo, "outreach", "--place", "火星")
    assert code == 2 and "火星" in out and "Traceback" not in out


def test_care_items_carry_interests_and_last_years_greeting_for_the_festival(ws: Workspace):
    people = _book(ws)
    boss = people["boss"]
    ws.clock.fix(dt.date(2026, 1, 12))  # Spring Festival 2026 falls on 17 February
    last_year = ws.followups.plan_greetings("spring_festival", 2026)
    ws.followups.confirm([p for p in last_year.proposals if p.contact_id == boss])
    (item,) = [i for i in ws.followups.agenda(None, 60) if i.contact_id == boss and i.reason == "festival"]
    _item, version = ws.followups.get(item.id)  # type: ignore[misc]
    ws.followups.complete(item.id, version, "送了一盒茶叶，聊了孩子升学", dt.datetime(2026, 2, 10, 3, 0))
    ws.clock.fix(dt.date(2027, 1, 4))
    care = ws.followups.plan_care(dt.date(2027, 1, 4), dt.date(2027, 2, 28))
    points = [p.extra["talking_points"] for p in care.proposals if p.contact_id == boss]
    assert points, "the boss gets care greetings"
    assert "爬山、围棋" in points[0]
    assert any("Spring Festival" in t and "送了一盒茶叶" in t for t in points[0])


def test_the_contact_rules_plan_no_care_greeting_below_the_minimum_stage(ws: Workspace):
    people = _book(ws)
    ws.followups.save_care_settings(CareSettings(min_stage="good_friend"))
    ws.followups.generate(TODAY, TODAY + dt.timedelta(days=180))
    cared = {i.contact_id for i in ws.followups.agenda(None, 180) if i.reason == "care"}
    assert people["boss"] in cared and people["clerk"] not in cared and people["stranger"] not in cared
