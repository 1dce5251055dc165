"""What the contact card reads about the company chosen on it: its people (for "Reports to") and its class (for
the target stage). The company the card opened with was read with the card; another one chosen is read off the
GUI thread, one unit of work, and "Reports to" waits (disabled) until it lands (issue 24)."""

from __future__ import annotations

from typing import Any

from kamdesk.domain.enums import AccountClass
from kamdesk.i18n import _
from kamdesk.services.contacts import ContactService
from kamdesk.services.errors import StorageError
from kamdesk.ui import prompts
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.choices import select_data

Colleagues = list[tuple[int, str, str]]


def read_company(service: ContactService, account_id: int) -> tuple[Colleagues, AccountClass | None]:
    """One unit of work: the people at the account and its class."""
    with service.db.read_together():
        return service.colleagues(account_id), service.account_class(account_id)


class CompanyReads:
    """For a contact card with `company_combo`, `reports_combo`, `data` (colleagues by account), `_classes`,
    `detail`, `service` and `_show_target()`."""

    def __init__(self, card: Any) -> None:
        self.card = card
        #: The account being read now (None when nothing is on its way), and who "Reports to" should show then.
        self.reading: int | None = None
        self.wanted: int | None = None

    def choice(self) -> int | None:
        """Who the person reports to as chosen (while the company's people are read: as chosen before)."""
        return self.wanted if self.reading is not None else self.card.reports_combo.currentData()

    def fill(self, wanted: int | None) -> None:
        """ "Reports to" offers the people at the chosen company, `wanted` selected; read first when not known."""
        card = self.card
        account_id = card.company_combo.currentData()
        combo = card.reports_combo
        combo.clear()
        combo.addItem(_("(nobody / not known)"), None)
        if account_id is not None and account_id not in card.data.colleagues:
            self._read(int(account_id), wanted)
            return
        self.reading = None
        combo.setEnabled(True)
        for colleague_id, name, title in card.data.colleagues.get(account_id, []) if account_id is not None else []:
            if colleague_id != card.detail.id:
                combo.addItem(f"{name} — {title}" if title else name, colleague_id)
        select_data(combo, wanted)

    def account_class(self) -> AccountClass | None:
        """The chosen company's class (None while it is read, or with no company)."""
        account_id = self.card.company_combo.currentData()
        return None if account_id is None else self.card._classes.get(account_id)

    def _read(self, account_id: int, wanted: int | None) -> None:
        self.reading, self.wanted = account_id, wanted
        self.card.reports_combo.setEnabled(False)
        service = self.card.service

        def landed(read: tuple[Colleagues, AccountClass | None]) -> None:
            self.card.data.colleagues[account_id], self.card._classes[account_id] = read
            if self.reading == account_id:  # still the company chosen
                self.fill(self.wanted)
                self.card._show_target()

        def failed(exc: Exception) -> None:
            # "Reports to" stays as chosen and disabled; choosing the company again reads again.
            if isinstance(exc, StorageError):
                prompts.current().warn(self.card, _("Company"), str(exc))
                return
            from kamdesk.ui.errors import report

            report(self.card, exc, _("Company"))

        Op(self.card, lambda: read_company(service, account_id), _("Company")).success(landed).failure(failed).run()

    def name_of(self, account_id: int, person_id: int) -> str:
        """A colleague's name for the conflict table (read off the GUI thread when not known yet)."""
        people = {i: n for i, n, _t in self.card.data.colleagues.get(account_id, [])}
        if person_id not in people:
            service = self.card.service
            read = Op(self.card, lambda: service.colleagues(account_id), self.card.windowTitle())
            colleagues = read.progress(_("Reading the contacts…")).wait()
            self.card.data.colleagues[account_id] = colleagues
            people = {i: n for i, n, _t in colleagues}
        return people.get(person_id, "?")
