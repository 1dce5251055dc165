"""The contact card's stage checklist: what has to be true at the stage chosen, and the evidence against it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from html import escape
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kamdesk.domain.contacts import ContactDetail, ContactValidationError
from kamdesk.domain.stage_evidence import CheckItem, StageVerdict, judge_stage, stage_definition
from kamdesk.i18n import _
from kamdesk.services.contacts import ContactService
from kamdesk.services.stages import StageService
from kamdesk.ui.models.contacts_model import stage_text

WARN_COLOUR = "#b00020"
MET, NOT_MET, JUDGE = "✔", "✘", "?"


class CardForm(Protocol):
    """What the checklist reads from the contact card."""

    service: ContactService
    detail: ContactDetail
    stage_combo: QComboBox

    def _draft(self) -> ContactDetail: ...


def marked_list(items: list[tuple[str, bool | None]]) -> str:
    """A list of statements, each marked as shown by the file (✔), not shown (✘) or for the person to judge (?)."""
    rows = []
    for text, met in items:
        mark = JUDGE if met is None else MET if met else NOT_MET
        colour = "#1b5e20" if met else WARN_COLOUR if met is False else "#555"
        rows.append(f"<li><span style='color:{colour}'>{mark}</span> {escape(text)}</li>")
    return "<ul style='margin-left:-20px'>" + "".join(rows) + "</ul>"


def _items(items: list[CheckItem]) -> str:
    return marked_list([(item.text, item.met) for item in items])


def verdict_html(verdict: StageVerdict) -> str:
    """The checklist, the flags and the next stage's requirements as the card shows them."""
    stage = stage_text(verdict.stage.value)
    parts = [f"<p><b>{escape(stage)}</b>: {escape(stage_definition(verdict.stage))}</p>", _items(verdict.checklist)]
    if verdict.flags:
        parts.append(
            f"<p style='color:{WARN_COLOUR}'><b>{escape(_('The file says otherwise:'))}</b></p><ul style="
            f"'margin-left:-20px; color:{WARN_COLOUR}'>"
            + "".join(f"<li>{escape(f.text)}</li>" for f in verdict.flags)
            + "</ul>"
        )
    else:
        parts.append(f"<p style='color:#1b5e20'>{escape(_('Nothing in the file contradicts this stage.'))}</p>")
    if verdict.next_stage is not None:
        parts.append("<p>" + escape(_("To reach {stage}:").format(stage=stage_text(verdict.next_stage.value))) + "</p>")
        parts.append(_items(verdict.next_checklist))
    parts.append(
        "<p style='color:#555'>"
        + escape(_("✔ shown by the file  ✘ not shown by the file  ? only you can judge"))
        + "</p>"
    )
    return "".join(parts)


class StageChecklist(QGroupBox):
    """Shown beside the stage on the card; follows the stage chosen and what the card holds now."""

    def __init__(self, form: CardForm, parent: QWidget | None = None) -> None:
        super().__init__(_("What this stage means"), parent)
        self.form = form
        self.stages = StageService(form.service.db)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addStretch(1)
        form.stage_combo.currentIndexChanged.connect(self.refresh)
        self.verdict: StageVerdict | None = None
        #: What the file logged about the person, read once (with the card when it gives them).
        data = getattr(form, "data", None)
        self.touches: tuple[int, dt.date | None, int] | None = data.touches if data is not None else None

    @classmethod
    def beside(cls, stage_box: QWidget, form: CardForm) -> QHBoxLayout:
        """The card's stage box with the checklist to its right (kept on the card as `stage_checklist`)."""
        checklist = cls(form)
        form.stage_checklist = checklist  # type: ignore[attr-defined]
        row = QHBoxLayout()
        row.addWidget(stage_box, 1)
        row.addWidget(checklist, 1)
        return row

    def card(self) -> ContactDetail:
        """The card as the form shows it (the saved one while a field cannot be read)."""
        try:
            draft = self.form._draft()
        except ContactValidationError:
            draft = self.form.detail
        stage = self.form.stage_combo.currentData() or self.form.detail.relationship_stage
        return replace(draft, relationship_stage=stage, last_contact_on=self.form.detail.last_contact_on)

    def refresh(self) -> None:
        card = self.card()
        if card.id is not None and self.touches is None:
            self.touches = self.stages.touches(card.id)
        self.verdict = judge_stage(self.stages.contact_facts(card, self.touches))
        self.label.setText(verdict_html(self.verdict))

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()  # the personal file may have changed on the other page
        super().showEvent(event)
