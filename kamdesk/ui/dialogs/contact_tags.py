"""Tastes and taboos on the contact card: the three free-text fields and, beside them, their tags.

The gift vocabulary reads the text as it is typed (不喝酒 → no alcohol, 喜欢钓鱼 → fishing) and
suggests tags; a person adds or removes tags from a menu, and those choices stay when the text
changes again. Tags not yet saved that came from the text are shown tinted, marked "suggested".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMenu, QToolButton, QVBoxLayout, QWidget

from kamdesk.domain.contacts import ContactDetail
from kamdesk.domain.gift_vocabulary import (
    ATTRIBUTES,
    CATEGORIES,
    PERSON_TAGS,
    TABOO_TAGS,
    like_conflicts,
    suggest_contact_tags,
    tag_label,
    tag_labels,
)
from kamdesk.i18n import _

_CUISINES = tuple(t for t in PERSON_TAGS if t.endswith("_food") or t == "hotpot")
_INTERESTS = tuple(t for t in PERSON_TAGS if t not in _CUISINES and t != "vegetarian")
SUGGESTED_CSS = "background-color:#fff4cc; color:#6b4e00; font-style:italic"


@dataclass
class TagSet:
    """One kind of tag (likes or taboos): the text's suggestion and the person's own changes to it."""

    suggestion: frozenset[str] = frozenset()
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    saved: frozenset[str] = frozenset()

    @property
    def tags(self) -> frozenset[str]:
        return frozenset((self.suggestion - self.removed) | self.added)

    def load(self, saved: frozenset[str], suggestion: frozenset[str]) -> None:
        """Saved tags, seen as the suggestion plus the person's own additions and removals."""
        self.saved, self.suggestion = frozenset(saved), suggestion
        self.added, self.removed = set(saved - suggestion), set(suggestion - saved)

    def toggle(self, tag: str, on: bool) -> None:
        if on:
            self.removed.discard(tag)
            if tag not in self.suggestion:
                self.added.add(tag)
        else:
            self.added.discard(tag)
            if tag in self.suggestion:
                self.removed.add(tag)

    def unconfirmed(self) -> frozenset[str]:
        """Tags shown only because the text suggests them (not saved, not chosen by a person)."""
        return frozenset(self.tags - self.saved - self.added)


class ContactTags(QObject):
    """The interests, likes and taboos fields of the card with their like and taboo tags."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.interests_edit, self.preferences_edit, self.taboos_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.taboos_edit.setPlaceholderText(_("e.g. 不喝酒, 海鲜过敏, halal"))
        self.likes, self.taboos = TagSet(), TagSet()
        self.like_label, self.taboo_label = self._label(), self._label()
        self.like_button = self._button(_("Tastes and interests"), self._like_menu)
        self.taboo_button = self._button(_("Taboos"), self._taboo_menu)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020")
        for edit in self.edits:
            edit.textChanged.connect(self._text_changed)

    @property
    def edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        return self.interests_edit, self.preferences_edit, self.taboos_edit

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow(_("Interests"), self.interests_edit)
        form.addRow(_("Likes (food, drink, gifts)"), self.preferences_edit)
        form.addRow(_("Avoid (taboos)"), self.taboos_edit)
        form.addRow(_("Tags"), self._tag_row())  # one row: the card must fit a laptop screen

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def _button(self, text: str, fill: Callable[[], None]) -> QToolButton:
        button = QToolButton()
        button.setText(_("Edit…"))
        button.setToolTip(_("Add or remove tags: {what}").format(what=text))
        menu = QMenu(button)
        menu.aboutToShow.connect(fill)
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        return button

    def _tag_row(self) -> QWidget:
        row = QWidget()
        column = QVBoxLayout(row)
        column.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        for label, button in ((self.like_label, self.like_button), (self.taboo_label, self.taboo_button)):
            line.addWidget(label, 1)
            line.addWidget(button)
        column.addLayout(line)
        column.addWidget(self.warning)  # hidden, and so without height, unless tastes and taboos clash
        return row

    # Loading and reading --------------------------------------------------------------------------
    def load(self, detail: ContactDetail) -> None:
        """The card's text and saved tags (an older card with none gets the text's suggestion, tinted)."""
        for edit, value in zip(self.edits, (detail.interests, detail.preferences, detail.taboos), strict=True):
            edit.blockSignals(True)
            edit.setText(value)
            edit.blockSignals(False)
        likes, taboos = self._suggestion()
        if detail.like_tags or detail.taboo_tags:
            self.likes.load(detail.like_tags, likes)
            self.taboos.load(detail.taboo_tags, taboos)
        else:  # never tagged: show what the text says, as a suggestion
            self.likes.load(frozenset(), likes)
            self.taboos.load(frozenset(), taboos)
            self.likes.removed.clear()
            self.taboos.removed.clear()
        self._show()

    def fill(self, draft: ContactDetail) -> None:
        """Put the three texts and both tag sets on a draft of the card."""
        draft.interests, draft.preferences, draft.taboos = (edit.text() for edit in self.edits)
        draft.like_tags, draft.taboo_tags = self.likes.tags, self.taboos.tags

    def snapshot(self) -> tuple[object, ...]:
        return (*(e.text() for e in self.edits), sorted(self.likes.tags), sorted(self.taboos.tags))

    # Reacting -------------------------------------------------------------------------------------
    def _suggestion(self) -> tuple[frozenset[str], frozenset[str]]:
        return suggest_contact_tags(*(edit.text() for edit in self.edits))

    def _text_changed(self) -> None:
        self.likes.suggestion, self.taboos.suggestion = self._suggestion()
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        self.like_label.setText(self._html(_("Tastes (tags)"), self.likes))
        self.taboo_label.setText(self._html(_("Taboos (tags)"), self.taboos))
        clash = like_conflicts(self.likes.tags, self.taboos.tags)
        self.warning.setText(
            _("Tastes that the taboos forbid: {tags}. Check which is right.").format(tags=tag_labels(clash))
            if clash
            else ""
        )
        self.warning.setVisible(bool(clash))

    @staticmethod
    def _html(title: str, tags: TagSet) -> str:
        head = f"<b>{escape(title)}</b> "
        shown = sorted(tags.tags, key=tag_label)
        if not shown:
            return head + f"<span style='color:#777'>{escape(_('(none)'))}</span>"
        new = tags.unconfirmed()
        parts = [
            f"<span style='{SUGGESTED_CSS}'>&nbsp;{escape(tag_label(t))}&nbsp;</span>"
            if t in new
            else escape(tag_label(t))
            for t in shown
        ]
        note = f" <span style='color:#6b4e00'>{escape(_('(tinted: suggested from the text)'))}</span>" if new else ""
        return head + escape(_(", ")).join(parts) + note

    # Menus ----------------------------------------------------------------------------------------
    def _like_menu(self) -> None:
        menu = self.like_button.menu()
        menu.clear()
        groups = (
            (_("Food and drink"), CATEGORIES + ATTRIBUTES),
            (_("Cuisines"), _CUISINES),
            (_("Interests"), _INTERESTS),
        )
        for title, codes in groups:
            self._fill(menu.addMenu(title), codes, self.likes)

    def _taboo_menu(self) -> None:
        menu = self.taboo_button.menu()
        menu.clear()
        self._fill(menu, TABOO_TAGS, self.taboos)

    def _fill(self, menu: QMenu, codes: tuple[str, ...], tags: TagSet) -> None:
        current = tags.tags
        for code in sorted(codes, key=tag_label):
            action = QAction(tag_label(code), menu)
            action.setCheckable(True)
            action.setChecked(code in current)
            action.toggled.connect(lambda on, c=code, t=tags: self._toggle(t, c, on))
            menu.addAction(action)

    def _toggle(self, tags: TagSet, code: str, on: bool) -> None:
        tags.toggle(code, on)
        self._show()
        self.changed.emit()
