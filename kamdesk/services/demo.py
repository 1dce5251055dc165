"""Fill a new or empty team file with the demo book (the `kamdesk demo` command and the welcome offer)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from kamdesk.domain import clock
from kamdesk.i18n import _
from kamdesk.services.demo_agenda import add_demo_agenda
from kamdesk.services.demo_care import add_demo_events
from kamdesk.services.demo_data import DEFAULT_SEED, TABLE_ORDER, DemoSize, generate_demo
from kamdesk.services.demo_gifts import add_demo_gifts
from kamdesk.services.demo_plans import PlanStep, add_demo_plans
from kamdesk.storage.bulk import Progress, count_rows, write_demo
from kamdesk.storage.opening import open_database


def load_demo(
    path: str | Path,
    size: DemoSize | str = DemoSize.SMALL,
    user_name: str = "demo",
    *,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Create (or open) the file at `path`, write the demo book into it and return rows per table.

    A file that already holds accounts, or any other demo table's rows, is refused with a
    ValueError before anything is written: demo data never mixes with a team's real records.
    """
    try:
        demo_size = DemoSize(size)
    except ValueError:
        choices = ", ".join(s.value for s in DemoSize)
        raise ValueError(
            _("Unknown demo size {size!r}; choose one of: {choices}.").format(size=str(size), choices=choices)
        ) from None
    db = open_database(path, user_name, create=True)
    try:
        accounts = count_rows(db, "accounts")
        if accounts:
            raise ValueError(
                _(
                    "{path} already holds {count} accounts. Demo data is only loaded into a new, empty team "
                    "file; choose another file name."
                ).format(path=path, count=accounts)
            )
        filled = [table for table in TABLE_ORDER if count_rows(db, table)]
        if filled:
            raise ValueError(
                _(
                    "{path} already holds data ({tables}). Demo data is only loaded into a new, empty team "
                    "file; choose another file name."
                ).format(path=path, tables=", ".join(filled))
            )
        day = today or clock.today()
        # The planners read "today" from the one clock: while they plan, it stands at the demo's day.
        with clock.fixed(day) if today is not None else contextlib.nullcontext():
            demo = generate_demo(demo_size, seed=seed, today=day)
            counts = write_demo(db, demo.tables(), progress)
            steps: list[PlanStep] = []
            counts["account_plans"] = add_demo_plans(db, day, seed, steps_ahead=steps)
            counts["gift_catalogue"], counts["visits"] = add_demo_gifts(db, day, seed)
            counts["contact_events"] = add_demo_events(db, day)  # before the agenda, which pauses for them
            add_demo_agenda(db, day, seed, steps)
            # Follow-ups the planners added for the weeks ahead (the visits' included), beside the book's history.
            counts["agenda"] = count_rows(db, "activities") - counts["activities"]
        return counts
    finally:
        db.dispose()
