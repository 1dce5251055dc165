"""Call preparation and review (domain.md §11): roomy multi-line fields per phase, with the person's
personality advice, the lessons of earlier calls with them and the coaching prompts beside the form."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.accounts import personality_approach
from kamdesk.domain.call_coaching import (
    DURING_PROMPTS,
    PREP_HINTS,
    PREPARE_PROMPTS,
    REVIEW_HINTS,
    REVIEW_PROMPTS,
    Lesson,
    prompts,
)
from kamdesk.domain.enums import PersonalityType
from kamdesk.domain.followups import AgendaItem
from kamdesk.i18n import N_, _
from kamdesk.services.stages import StageService
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import formatting
from kamdesk.ui import prompts as message_boxes
from kamdesk.ui.ops import Op

PREP_LABELS = {
    "address_as": N_("How to address them"),
    "matter": N_("The matter"),
    "channel": N_("Landline or mobile"),
    "our_goal": N_("The outcome we want"),
    "their_goal": N_("The outcome they want"),
    "their_attitude": N_("Their likely attitude and tone"),
    "our_approach": N_("Our attitude, wording and pace"),
}
REVIEW_LABELS = {
    "their_attitude": N_("How they took it"),
    "their_satisfaction": N_("How satisfied they were"),
    "our_satisfaction": N_("How satisfied we are"),
    "missed": N_("Openings we missed"),
    "lessons": N_("Lessons"),
}
#: A comfortable size that still fits a 1366×768 laptop screen with its task bar.
PREFERRED_SIZE = (980, 660)
FIELD_LINES = 3


@dataclass(frozen=True)
class CallNotesData:
    """What the call notes dialog shows of one planned call, read in one unit of work before it is built."""

    activity_id: int
    item: AgendaItem
    personality: str | None = None
    prep: dict[str, str] = field(default_factory=dict)
    review: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    lessons: list[Lesson] = field(default_factory=list)


def call_notes_data(workspace: Workspace, activity_id: int) -> CallNotesData | None:
    """The call, its person's personality, its notes and the lessons of earlier calls with the person, in
    one read (run it off the GUI thread: on a file server each unit of work costs its lock requests).
    None when the call is gone."""
    with workspace.one_read():
        found = workspace.followups.get(activity_id)
        if found is None:
            return None
        item = found[0]
        card = workspace.contacts.get(item.contact_id) if item.contact_id is not None else None
        prep, review, notes = workspace.followups.call_notes(activity_id)
        lessons = (
            StageService(workspace.db).lessons(item.contact_id, activity_id) if item.contact_id is not None else []
        )
    return CallNotesData(activity_id, item, card.personality_type if card else None, prep, review, notes, lessons)


def multi_line(text: str, hint: str, lines: int = FIELD_LINES) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setPlaceholderText(hint)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height)  # the form stays one screen; a longer text scrolls inside its field
    return edit


def lessons_html(lessons: list[Lesson]) -> str:
    if not lessons:
        return "<p style='color:#555'>" + escape(_("No earlier call with this person has been reviewed yet.")) + "</p>"
    parts = []
    for lesson in lessons:
        head = _("{day} · {subject} ({name})").format(
            day=formatting.date(lesson.day), subject=lesson.subject or _("call"), name=lesson.member_name or "?"
        )
        body = []
        for label, text in (
            (_("Lessons"), lesson.lessons),
            (_("Openings we missed"), lesson.missed),
            (_("How they took it"), lesson.their_attitude),
        ):
            if text:
                body.append(f"<li><b>{escape(label)}:</b> {escape(text)}</li>")
        parts.append(f"<p><b>{escape(head)}</b></p><ul style='margin-left:-20px'>{''.join(body)}</ul>")
    return "".join(parts)


def prompts_html(items: list[str]) -> str:
    return "<ul style='margin-left:-20px'>" + "".join(f"<li>{escape(p)}</li>" for p in items) + "</ul>"


class CallNotesDialog(QDialog):
    """A call's three phases, each on its own page, with coaching for the phase shown beside it."""

    def __init__(
        self,
        workspace: Workspace,
        activity_id: int,
        personality: str | None = None,
        parent: QWidget | None = None,
        data: CallNotesData | None = None,
    ) -> None:
        """`data` is what `call_notes_data` read (the agenda reads it off the GUI thread); without it the
        dialog reads it itself."""
        super().__init__(parent)
        self.workspace = workspace
        self.activity_id = activity_id
        self._saving = False
        if data is None:
            data = call_notes_data(workspace, activity_id)
        item = data.item if data else None
        if personality is None and data is not None:
            personality = data.personality
        self.setWindowTitle(
            _("Call preparation and review — {name}").format(name=item.contact_name)
            if item and item.contact_name
            else _("Call preparation and review")
        )
        prep, review, notes = (data.prep, data.review, data.notes) if data else ({}, {}, "")
        self.lessons = data.lessons if data else []
        self.prep_edits = {k: multi_line(prep.get(k, ""), _(PREP_HINTS[k])) for k in PREP_LABELS}
        self.review_edits = {k: multi_line(review.get(k, ""), _(REVIEW_HINTS[k])) for k in REVIEW_LABELS}
        self.notes_edit = multi_line(notes, _("What was said, agreed figures and dates"), lines=12)
        self.notes_edit.setMaximumHeight(16777215)
        self.phases = QTabWidget()
        self.phases.addTab(self._form_page(self.prep_edits, PREP_LABELS), _("Before the call"))
        during = QWidget()
        QVBoxLayout(during).addWidget(self.notes_edit)
        self.phases.addTab(during, _("During the call"))
        self.phases.addTab(self._form_page(self.review_edits, REVIEW_LABELS), _("After the call"))
        if review:
            self.phases.setCurrentIndex(2)
        elif notes.strip():
            self.phases.setCurrentIndex(1)
        self.side = self._side_panel(personality)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.phases)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        header = QLabel(self._header(item))
        header.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.phases.currentChanged.connect(self._show_prompts)
        self._show_prompts()
        self.resize(*fitting_size(PREFERRED_SIZE))

    @staticmethod
    def _form_page(edits: dict[str, QPlainTextEdit], labels: dict[str, str]) -> QScrollArea:
        page = QWidget()
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label in labels.items():
            form.addRow(_(label), edits[key])
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        return scroll

    @staticmethod
    def _header(item: AgendaItem | None) -> str:
        if item is None:
            return ""
        who = item.contact_name or "—"
        if item.account_name:
            who = f"{who} ({item.account_name})"
        return _("Call with {who} · our person: {member} · due {day} · {subject}").format(
            who=who, member=item.member_name or "—", day=formatting.date(item.due_on), subject=item.subject or "—"
        )

    def _side_panel(self, personality: str | None) -> QScrollArea:
        inner = QWidget()
        layout = QVBoxLayout(inner)
        self.personality_label = QLabel(self._personality_text(personality))
        self.lessons_label = QLabel(lessons_html(self.lessons))
        self.prompts_title = QLabel()
        self.prompts_label = QLabel()
        for title, label in (
            (_("Their personality"), self.personality_label),
            (_("Lessons from earlier calls with them"), self.lessons_label),
            (None, self.prompts_title),
            (None, self.prompts_label),
        ):
            if title:
                heading = QLabel(f"<b>{escape(title)}</b>")
                layout.addWidget(heading)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(label)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        return scroll

    @staticmethod
    def _personality_text(personality: str | None) -> str:
        try:
            kind = PersonalityType(personality) if personality else None
        except ValueError:
            kind = None
        if kind is None:
            return (
                "<p style='color:#555'>" + escape(_("Not known yet: note it on their card when you can tell.")) + "</p>"
            )
        return f"<p><i>{escape(kind.label)}</i>: {escape(personality_approach(kind))}</p>"

    def _show_prompts(self) -> None:
        phase = self.phases.currentIndex()
        title, items = (
            (_("Before you dial"), PREPARE_PROMPTS),
            (_("While you talk"), DURING_PROMPTS),
            (_("Looking back"), REVIEW_PROMPTS),
        )[phase]
        self.prompts_title.setText(f"<b>{escape(title)}</b>")
        self.prompts_label.setText(prompts_html(prompts(items)))

    def side_text(self) -> str:
        """Everything the side panel shows, as plain text (for tests and screen readers)."""
        return "\n".join(
            plain_text(label)
            for label in (self.personality_label, self.lessons_label, self.prompts_title, self.prompts_label)
        )

    def accept(self) -> None:
        """Save off the GUI thread behind a busy window; a second press while it saves is ignored."""
        if self._saving:
            return
        prep = {k: e.toPlainText() for k, e in self.prep_edits.items()}
        review = {k: e.toPlainText() for k, e in self.review_edits.items()}
        notes = self.notes_edit.toPlainText()
        followups, activity_id = self.workspace.followups, self.activity_id

        def save() -> bool:
            found = followups.get(activity_id)
            if found is None:
                return False  # the call is gone: nothing to save it on
            followups.save_call_notes(activity_id, found[1], prep, review, notes)
            return True

        self._saving = True
        try:
            saved = Op(self, save, _("Not saved")).wait()
        except StorageError as exc:
            message_boxes.current().warn(self, _("Not saved"), str(exc))
            return
        finally:
            self._saving = False
        if not saved:
            super().reject()
            return
        super().accept()


def plain_text(label: QLabel) -> str:
    """A rich-text label's words without the markup."""
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def fitting_size(preferred: tuple[int, int]) -> tuple[int, int]:
    """`preferred`, shrunk to the screen's free area (a 1366×768 laptop keeps room for the task bar)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return preferred
    free = screen.availableGeometry()
    return min(preferred[0], free.width() - 40), min(preferred[1], free.height() - 60)
