"""`kamdesk propose FILE KIND …`: the planners' proposals for scripts and checks, from the same
engine the window uses. Nothing is written: a proposal becomes a record only when a person confirms it
in the window."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kamdesk.domain.tabular import neutralise
from kamdesk.i18n import _

FESTIVALS = ("mid-autumn", "spring-festival", "dragon-boat")

#: KIND -> (help, the workspace call that returns a ProposalPlan)
KINDS: dict[str, tuple[str, Callable[[Any, argparse.Namespace], Any]]] = {}


def _festival(args: argparse.Namespace) -> str:
    if not args.festival:
        raise ValueError(_("give the festival with --festival {choices}.").format(choices="|".join(FESTIVALS)))
    return str(args.festival).replace("-", "_")


def _year(args: argparse.Namespace) -> int:
    if args.year is None:
        raise ValueError(_("give the year with --year, e.g. --year 2027."))
    if not 1900 <= args.year <= 2100:
        raise ValueError(_("{year} is not a year kamdesk can plan for (1900–2100).").format(year=args.year))
    return int(args.year)


def _budget(args: argparse.Namespace) -> int | None:
    if args.budget is None:
        return None
    try:
        cents = round(float(args.budget) * 100)
    except ValueError:
        raise ValueError(_("{budget!r} is not an amount; write it as 20000.").format(budget=args.budget)) from None
    if cents <= 0:
        raise ValueError(_("the budget must be more than 0."))
    return cents


def _days(args: argparse.Namespace) -> tuple[Any, Any]:
    from kamdesk.cli import _parse_day

    start, end = _parse_day(args.date_from, "--from"), _parse_day(args.date_to, "--to")
    if end < start:
        raise ValueError(_("--to must not be before --from."))
    return start, end


def _place(args: argparse.Namespace) -> str:
    if not (args.place or "").strip():
        raise ValueError(_("give the place with --place, e.g. --place 甘肃 or --place Lanzhou."))
    return str(args.place).strip()


KINDS.update(
    {
        "festival-gifts": (
            _("gifts for a festival, tiered by class and rank, within the budget"),
            lambda w, a: w.gifts.plan_festival_gifts(_festival(a), _year(a), _budget(a)),
        ),
        "everyday-gifts": (
            _("small everyday gifts at irregular dates, each with a natural reason"),
            lambda w, a: w.gifts.plan_everyday_gifts(*_days(a)),
        ),
        "special-gifts": (
            _("special gifts for senior and influential people, chosen for their tastes"),
            lambda w, a: w.gifts.plan_special_gifts(),
        ),
        "greetings": (
            _("festival greetings, tiered by class and rank, merged with the festival's gifts"),
            lambda w, a: w.followups.plan_greetings(_festival(a), _year(a)),
        ),
        "care": (
            _("care greetings at irregular intervals, and caring contact after sensitive events"),
            lambda w, a: w.followups.plan_care(*_days(a)),
        ),
        "outreach": (
            _("reach out to everyone in or from a place after a regional event"),
            lambda w, a: w.followups.plan_outreach_proposals(_place(a)),
        ),
    }
)


def add_parser(sub: Any) -> None:
    propose = sub.add_parser(
        "propose", help=_("print what a planner proposes (gifts, greetings, care, outreach); nothing is written")
    )
    propose.add_argument("file", metavar="FILE")
    propose.add_argument("kind", choices=tuple(KINDS), help="; ".join(f"{k}: {h}" for k, (h, _c) in KINDS.items()))
    propose.add_argument("--festival", choices=FESTIVALS)
    propose.add_argument("--year", type=int)
    propose.add_argument("--budget", metavar="AMOUNT", help=_("the plan's budget, e.g. 20000"))
    propose.add_argument("--from", dest="date_from", metavar="DATE")
    propose.add_argument("--to", dest="date_to", metavar="DATE")
    propose.add_argument("--place", metavar="TEXT", help=_("a province, city or district, in Chinese or pinyin"))
    propose.add_argument("--format", type=str.lower, choices=("json", "csv"), default="json")
    propose.add_argument("-o", "--output", metavar="OUT", help=_("write here instead of the screen"))
    propose.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kamdesk.cli import _print_error
    from kamdesk.services.workspace import StorageError, open_workspace

    _help, call = KINDS[args.kind]
    try:
        workspace = open_workspace(args.file, _("command line"), read_only=True)
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    try:
        plan = call(workspace, args)
    except ValueError as exc:  # GiftError, FollowUpError and bad arguments are ValueErrors with a message
        _print_error(str(exc))
        return 2
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    finally:
        workspace.close()
    record = plan.as_record()
    text = render(record, args.format)
    if args.format == "csv":  # the rows stay plain CSV; the plan's figures and notes go beside them
        for line in summary(record):
            print(line, file=sys.stderr)
    if not args.output or args.output == "-":  # "-o -" is the screen, as usual
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    try:
        out.write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="")
    except OSError as exc:
        _print_error(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror or exc))
        return 1
    print(out)
    return 0


CSV_COLUMNS = (
    "kind",
    "contact_id",
    "contact",
    "account",
    "account_class",
    "rank",
    "date",
    "item",
    "cost",
    "reason",
    "warnings",
)


def summary(plan: dict[str, Any]) -> list[str]:
    """The plan's total against its budget, and its notes (why people were left out, how far over…)."""
    lines = [_("{count} proposals, total {total:,.2f}").format(count=len(plan["proposals"]), total=plan["total"])]
    if plan["budget"] is not None:
        lines[0] += _(" against a budget of {budget:,.2f}").format(budget=plan["budget"])
    return lines + list(plan["notes"])


def render(plan: dict[str, Any], fmt: str) -> str:
    """The plan as JSON (everything, with its total, budget and notes), or CSV (one row a proposal; the
    command prints the total, budget and notes on stderr, so the file stays rows only)."""
    if fmt == "json":
        return json.dumps(plan, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for record in plan["proposals"]:
        row = dict(record, warnings="; ".join(record.get("warnings") or []))
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in (row.get(c, "") for c in CSV_COLUMNS)])
    return buffer.getvalue()
