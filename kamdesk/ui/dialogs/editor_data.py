"""What the account editor and the contact card read before they open, read off the GUI thread (issue 24).

On a file server every read costs a transaction of lock requests, so the dialogs do not read while they
are built. `open_editor` reads everything a dialog shows in the thread pool, as one unit of work, with a
wait cursor meanwhile; the dialog is built from what was read when it lands. A second request while one
is on its way is ignored (one dialog, never two); a failure says so and opens nothing; when the widget that
asked is gone by then, nothing opens. The dialogs still read for themselves when built without data
(as the tests build them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from kamdesk.domain import gift_vocabulary
from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.cost_to_serve import CostToServe
from kamdesk.domain.enums import AccountClass
from kamdesk.domain.followups import ContactEvent
from kamdesk.domain.models import AccountDetail, ClassHistoryEntry, TeamMember
from kamdesk.domain.settings import TeamSettings
from kamdesk.domain.stage_evidence import StageHistoryEntry, TypeFacts
from kamdesk.domain.strategy import StrategyContext
from kamdesk.services.accounts import AccountService
from kamdesk.services.contacts import ContactService
from kamdesk.services.errors import StorageError
from kamdesk.services.followups import FollowUpService
from kamdesk.services.stages import StageService
from kamdesk.services.workspace import SettingsService, TeamService, Workspace
from kamdesk.ui import prompts, tasks

if TYPE_CHECKING:
    from kamdesk.ui.dialogs.contact_dialog import ContactDialog

T = TypeVar("T")

#: What a contact's logged touches are: (calls logged, last contact, private touches).
Touches = tuple[int, dt.date | None, int]


@dataclass
class AccountEditorData:
    """Everything the account editor shows as it opens.

    `strategy_context` is None while it is still to be read: an account's rank, its recent time and its cost
    to serve take most of the editor's requests on a file server, so the editor opens without them and reads
    them after it shows (`read_account_later`), its strategy section saying it is reading meanwhile.
    """

    detail: AccountDetail | None
    members: list[TeamMember]
    strategy_context: StrategyContext | None
    currency: str
    cost: tuple[CostToServe, tuple[int, int]] | None = None
    history: list[ClassHistoryEntry] = field(default_factory=list)
    stage_history: list[StageHistoryEntry] = field(default_factory=list)
    type_facts: TypeFacts | None = None


@dataclass
class AccountLater:
    """What the account editor reads once it shows: the strategy's facts and the cost to serve."""

    strategy_context: StrategyContext
    cost: tuple[CostToServe, tuple[int, int]] | None


def read_account_editor(
    service: AccountService, account_id: int | None, members: list[TeamMember] | None = None, *, whole: bool = False
) -> AccountEditorData:
    """One unit of work: the account (None when it is gone), the team, and what its pages show.

    For a stored account the strategy's facts and the cost to serve are left for `read_account_later` unless
    `whole` asks for them too; a new account (or one that is gone) reads its strategy's facts here.
    """
    stages = StageService(service.db)
    with service.db.read_together():
        detail = service.get(account_id) if account_id is not None else None
        known = detail is not None and account_id is not None
        later = read_account_later(service, account_id if known else None) if whole or not known else None
        return AccountEditorData(
            detail=detail,
            members=TeamService(service.db).members() if members is None else members,
            strategy_context=later.strategy_context if later is not None else None,
            currency=service.currency(),
            cost=later.cost if later is not None else None,
            history=service.history(account_id) if known and account_id is not None else [],
            stage_history=stages.history(account_id) if known and account_id is not None else [],
            type_facts=stages.type_facts(account_id) if known and account_id is not None else None,
        )


def read_account_later(service: AccountService, account_id: int | None) -> AccountLater:
    """One unit of work: an account's strategy facts and its cost to serve (none for a new account)."""
    with service.db.read_together():
        return AccountLater(
            strategy_context=service.strategy_context(account_id),
            cost=service.cost_to_serve(account_id) if account_id is not None else None,
        )


@dataclass
class ContactCardData:
    """Everything the contact card shows as it opens."""

    detail: ContactDetail | None
    members: list[TeamMember]
    accounts: list[tuple[int, str]]
    settings: TeamSettings
    #: The colleagues at each account read so far (for "Reports to"), and each account's class.
    colleagues: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    classes: dict[int, AccountClass | None] = field(default_factory=dict)
    events: list[ContactEvent] = field(default_factory=list)
    touches: Touches | None = None


def read_contact_card(
    service: ContactService,
    contact_id: int | None,
    account_id: int | None = None,
    members: list[TeamMember] | None = None,
) -> ContactCardData:
    """One unit of work: the contact (None when they are gone), the team, and what the card's pages show.

    It also does, off the GUI thread, what the card's first opening would otherwise do on it (about 60 ms there,
    issue 24): the card's module is loaded and the tag vocabulary's patterns compiled."""
    import_module("kamdesk.ui.dialogs.contact_dialog")
    gift_vocabulary.prepare()
    db = service.db
    with db.read_together():
        detail = service.get(contact_id) if contact_id is not None else None
        company = detail.account_id if detail is not None else account_id
        data = ContactCardData(
            detail=detail,
            members=TeamService(db).members() if members is None else members,
            accounts=service.account_choices(),
            settings=SettingsService(db, AccountService(db)).load(),
        )
        if company is not None:
            data.colleagues[company] = service.colleagues(company)
            data.classes[company] = service.account_class(company)
        if detail is not None and detail.id is not None:
            data.events = FollowUpService(db).events(detail.id)
            data.touches = StageService(db).touches(detail.id)
        return data


def contact_card(
    workspace: Workspace,
    parent: QWidget,
    contact_id: int | None,
    account_id: int | None = None,
    data: ContactCardData | None = None,
) -> ContactDialog:
    """The contact card from `data` read beforehand (read here, on this thread, when not given), offering
    to plan a call after a save; the caller connects what a save or delete changes for it."""
    from kamdesk.ui.dialogs.contact_dialog import ContactDialog  # loaded when first needed
    from kamdesk.ui.dialogs.contact_extras import offer_plan_call

    data = data if data is not None else read_contact_card(workspace.contacts, contact_id, account_id)
    dialog = ContactDialog(
        workspace.contacts,
        data.members,
        contact_id,
        parent,
        read_only=workspace.read_only,
        account_id=account_id,
        data=data,
    )
    offer_plan_call(dialog, workspace)
    return dialog


class _Opening(QObject):
    """The opening on its way for one widget (kept as its child, so it goes when the widget goes)."""


def open_editor(
    owner: QWidget,
    key: str,
    read: Callable[[], T],
    show: Callable[[T], object],
    failed_title: str,
) -> bool:
    """Read with `read()` in the thread pool under a wait cursor, then `show(result)` on the GUI thread.

    `key` names what is opening (say "account:12"); while an opening of `owner` is on its way, another
    request is ignored (False). A StorageError is shown under `failed_title`, and nothing opens. When
    `owner` is deleted meanwhile (or the window closes: `tasks.forget_all`), nothing opens either.
    """
    if opening(owner) is not None:
        return False
    marker = _Opening(owner)
    marker.setObjectName("opening")
    marker.setProperty("key", key)
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    restored = [False]

    def restore(*_args: object) -> None:
        if not restored[0]:
            restored[0] = True
            QApplication.restoreOverrideCursor()

    marker.destroyed.connect(restore)  # also when the owner goes with the marker while reading

    def finish() -> None:
        restore()
        marker.setParent(None)
        marker.deleteLater()

    def done(result: T) -> None:
        finish()
        show(result)

    def failed(exc: Exception) -> None:
        finish()
        if isinstance(exc, StorageError):
            prompts.current().warn(owner, failed_title, str(exc))
            return
        from kamdesk.ui.errors import report

        report(owner, exc, failed_title)

    tasks.run(read, done, failed, owner=marker)
    return True


def opening(owner: QWidget) -> str | None:
    """What `owner` is opening now (its key), or None."""
    marker = owner.findChild(_Opening, "opening", Qt.FindChildOption.FindDirectChildrenOnly)
    return None if marker is None else str(marker.property("key"))
