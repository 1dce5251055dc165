"""What the register-entry and visit dialogs tell while they are filled in, read off the GUI thread (issue 24).

The entry dialog shows the policy check (an approval needed, the person's year total), the customer's own rule
and a taboo warning; the visit dialog the key person's tastes and cautions and the meal's ordering guide. Each
answer is one unit of work. The dialogs capture what was typed as plain values (an `EntryQuestion` or a
`VisitQuestion`) on the GUI thread, and ask again after a pause in the typing (`Asker`): a stale answer (one for
an older question) is dropped. The first answer comes with what was read before the dialog opened when it can.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kamdesk.domain.gifts import PolicyCheck, Recipient, RegisterEntry, Visit
from kamdesk.domain.meals import MealGuide
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import tasks
from kamdesk.ui.errors import report

#: A pause in the typing this long before the file is asked (a read per keystroke would queue up on a share).
DEBOUNCE_MS = 250

Q = TypeVar("Q")
A = TypeVar("A")


# The register entry -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryQuestion:
    """What the entry's advice depends on; `entry` itself is carried along, not compared."""

    contact_id: int | None
    account_id: int | None  # the person's company, for its own gift rule
    value_cents: int
    year: int
    direction: str
    item: str
    entry_id: int | None
    entry: RegisterEntry = field(compare=False)


def entry_question(entry: RegisterEntry, people: dict[int, Recipient]) -> EntryQuestion:
    person = people.get(entry.contact_id) if entry.contact_id is not None else None
    return EntryQuestion(
        entry.contact_id,
        person.account_id if person is not None else None,
        entry.value_cents,
        entry.given_on.year,
        str(entry.direction),
        entry.item.strip(),
        entry.id,
        entry,
    )


@dataclass(frozen=True)
class EntryAdvice:
    check: PolicyCheck
    customer_rule: str  # the person's company's own gift rule ("" when none)
    taboo: str  # a warning when the item goes against the person's taboos ("" when not)


def entry_advice(workspace: Workspace, question: EntryQuestion) -> EntryAdvice:
    """One unit of work: the policy check, the customer's own rule and the taboo warning."""
    gifts, entry = workspace.gifts, question.entry
    with workspace.one_read():
        check = gifts.check(entry)
        rule = gifts.customer_policy(question.account_id) if question.account_id is not None else ""
        taboo = gifts.taboo_warning(entry) if entry.item else ""
    return EntryAdvice(check, rule, taboo)


# The visit ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitQuestion:
    """What the visit's advice depends on; `visit` itself is carried along, not compared."""

    contact_id: int | None
    kind: str
    account_class: str | None
    meal: bool  # a meal is part of it: the ordering guide is asked for
    headcount: int
    fine: bool
    region: str
    staple: str
    guest_ids: tuple[int, ...]
    visit: Visit = field(compare=False)


def visit_question(
    visit: Visit, people: list[Recipient], meal: bool, fine: bool = False, staple: str = "rice"
) -> VisitQuestion:
    """The question for `visit` with these choices of the dialog (the defaults are the dialog's own)."""
    # The place of the meal, else the key person's city, tells the region (a soup in Guangdong).
    city = next((r.city for r in people if r.contact_id == visit.contact_id), "")
    guests = tuple(  # the key person and those of theirs named beside them: their taboos count
        r.contact_id
        for r in people
        if r.contact_id == visit.contact_id
        or (r.account_id == visit.account_id and r.name and r.name in visit.people_theirs)
    )
    return VisitQuestion(
        visit.contact_id,
        visit.kind,
        visit.account_class,
        meal or visit.kind == "meal",
        visit.headcount,
        fine,
        visit.place.strip() or city,
        staple,
        guests,
        visit,
    )


@dataclass(frozen=True)
class VisitAdvice:
    notes: list[str]  # the key person's tastes and taboos, a high-spend caution
    guide: MealGuide | None  # None when no meal is part of it


def visit_advice(workspace: Workspace, question: VisitQuestion) -> VisitAdvice:
    """One unit of work: the visit's notes, and the ordering guide when a meal is part of it."""
    with workspace.one_read():
        notes = workspace.gifts.visit_warnings(question.visit)
        guide = (
            workspace.followups.meal_guide(
                question.headcount,
                question.fine,
                region=question.region,
                staple=question.staple,
                guest_ids=list(question.guest_ids),
            )
            if question.meal
            else None
        )
    return VisitAdvice(notes, guide)


# Asking -------------------------------------------------------------------------------------------------
class Asker(Generic[Q, A]):
    """Asks `answer(question)` in the thread pool after a pause in the edits, and shows only the newest answer.

    `later()` (on each edit) restarts the pause; `now()` asks at once; `show(question, answer)` gets the answer on
    the GUI thread unless a newer question was asked meanwhile or `owner` is gone. A file that cannot be read leaves
    the advice as it was (the save checks again anyway); any other failure is reported."""

    def __init__(
        self,
        owner: QWidget,
        question: Callable[[], Q],
        answer: Callable[[Q], A],
        show: Callable[[Q, A], None],
        title: str,
    ) -> None:
        self._owner = owner
        self._question = question
        self._answer = answer
        self._show = show
        self._title = title
        self._generation = 0
        self.timer = QTimer(owner)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.now)

    def later(self) -> None:
        self.timer.start()

    def now(self) -> None:
        self.timer.stop()
        question = self._question()  # the widgets are read here, on the GUI thread
        answer = self._answer
        self._generation += 1
        generation = self._generation
        tasks.run(
            lambda: answer(question),
            lambda result: self._landed(generation, question, result),
            lambda exc: self._failed(generation, exc),
            owner=self._owner,
        )

    def known(self, question: Q, answer: A) -> None:
        """An answer already read (with the dialog's data): shown at once, in place of any ask on its way."""
        self.timer.stop()
        self._generation += 1
        self._show(question, answer)

    def _landed(self, generation: int, question: Q, result: A) -> None:
        if generation == self._generation:
            self._show(question, result)

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation and not isinstance(exc, StorageError):
            report(self._owner, exc, self._title)
