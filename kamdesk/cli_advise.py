"""`kamdesk advise FILE --account NAME`: one account's judgement for scripts and reviews — how its class was
computed, its strategy group with the facts behind it, its people against target, its zipper and the SMART
findings of its latest plan. Nothing is written."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kamdesk.i18n import _


def add_parser(sub: Any) -> None:
    advise = sub.add_parser(
        "advise", help=_("print an account's class, strategy with reasons, people against target, zipper and SMART")
    )
    advise.add_argument("file", metavar="FILE")
    advise.add_argument("--account", required=True, metavar="NAME", help=_("the account's name (or a unique part)"))
    advise.add_argument("--format", type=str.lower, choices=("json", "text"), default="text")
    advise.add_argument("-o", "--output", metavar="OUT", help=_("write here instead of the screen"))
    advise.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kamdesk.cli import _print_error
    from kamdesk.services.workspace import StorageError, open_workspace

    try:
        workspace = open_workspace(args.file, _("command line"), read_only=True)
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    try:
        found = workspace.contacts.find_accounts(args.account)
        if not found:
            _print_error(_("no account is called {name!r}.").format(name=args.account))
            return 1
        if len(found) > 1:
            names = [d.name for d in (workspace.accounts.get(i) for i in found[:10]) if d]
            _print_error(
                _("several accounts match {name!r}; give the full name, for example: {names}").format(
                    name=args.account, names="; ".join(names)
                )
            )
            return 1
        from kamdesk.services.advice import gather

        record = gather(workspace, found[0])
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    finally:
        workspace.close()
    for problem in record["problems"]:
        print(_("kamdesk: {message}").format(message=problem), file=sys.stderr)
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n" if args.format == "json" else render_text(record)
    if not args.output or args.output == "-":  # "-o -" is the screen, as usual
        sys.stdout.write(text)
        return 0
    out = Path(args.output)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        _print_error(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror or exc))
        return 1
    print(out)
    return 0


def _line(label: str, value: object) -> str:
    return f"  {label}: {value}"


def _amount(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _class_lines(record: dict[str, Any]) -> list[str]:
    c = record["class"]
    lines = [_("Class: {cls}").format(cls=c["class"] or "—"), "  " + c["explanation"]]
    if c["pinned"]:
        lines.append(_line(_("pinned"), f"{c['pinned']} — {c['pin_reason']} ({c['pinned_by'] or '?'})"))
    return lines


def _strategy_lines(record: dict[str, Any]) -> list[str]:
    s = record["strategy"]
    lines = [_("Strategy: {title}").format(title=s["title"]), "  " + s["advice"], _("  Because (* decided it):")]
    lines += [("  * " if r["decisive"] else "  - ") + r["text"] for r in s["reasons"]]
    lines += ["  ! " + g["text"] for g in s["guardrails"]]
    cost = record.get("cost_to_serve")
    if cost:
        lines += ["", _("Cost to serve (last 12 months)")]
        lines.append(
            "  "
            + _("{total} = time {time} ({hours} h) + gifts {gifts} + hospitality {hospitality}; {grade}").format(
                total=_amount(cost["total"]),
                time=_amount(cost["time_cost"]),
                hours=cost["logged_hours"],
                gifts=_amount(cost["gifts"]),
                hospitality=_amount(cost["hospitality"]),
                grade=cost["grade_text"],
            )
        )
    return lines


def _people_lines(record: dict[str, Any]) -> list[str]:
    lines = [_("People against target")]
    if not record["contacts"]:
        lines.append("  " + _("(nobody recorded at this account)"))
    for p in record["contacts"]:
        lines.append(
            "  "
            + _("{name} ({rank}): {stage} → target {target}, gap {gap}").format(
                name=p["name"],
                rank=p["rank_label"] or "?",
                stage=p["stage_label"],
                target=p["target_label"] or "—",
                gap="—" if p["gap"] is None else p["gap"],
            )
        )
    if record.get("contacts_note"):
        lines.append("  ! " + record["contacts_note"])
    return lines


def _zipper_lines(record: dict[str, Any]) -> list[str]:
    z = record["zipper"]
    lines = [_("Zipper")]
    if z.get("unavailable"):
        lines.append("  " + z["unavailable"])
    elif not z.get("findings"):
        lines.append("  " + _("No weakness found."))
    severities = {"problem": _("problem"), "warning": _("warning")}
    for f in z.get("findings", []):
        lines.append(f"  [{severities.get(f['severity'], f['severity'])}] {f['message']}")
        if f["suggestion"]:
            lines.append("      → " + f["suggestion"])
    return lines


def _smart_lines(record: dict[str, Any]) -> list[str]:
    m = record["smart"]
    lines = [_("SMART (latest plan)")]
    if m.get("plan") is None:
        return [*lines, "  " + _("No account plan yet.")]
    lines.append("  " + _("Plan {period}").format(period=m["plan"]))
    if m.get("note"):
        lines.append("  " + m["note"])
    for objective in m["objectives"]:
        lines.append("  - " + objective["statement"])
        marks = [
            ("✔ " if x["ok"] else "✘ ") + (f"{x['letter']}: " if x["letter"] else "") + x["reason"]
            for x in objective["letters"]
        ]
        lines += ["      " + mark for mark in marks]
    return lines


def render_text(record: dict[str, Any]) -> str:
    """The record as a person reads it: headed sections, one fact a line."""
    lines = [record["account"]["name"]]
    for section in (_class_lines, _strategy_lines, _people_lines, _zipper_lines, _smart_lines):
        lines += ["", *section(record)]
    if record["problems"]:
        lines += ["", _("Missing"), *("  " + p for p in record["problems"])]
    return "\n".join(lines) + "\n"
