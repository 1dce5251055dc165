"""What the account editor and the contact card share: save, a stale save settled, delete, and discard.

A record editor is a QDialog with `WatchedEditor` among its bases. It says, through a few hooks, how
to read its form (`_draft`), show refusals on fields (`_show_errors`/`_clear_errors`), which words to
use (`words()`), and what to announce (`_announce_saved`/`_announce_deleted`); this class does the rest
the same way for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kamdesk.i18n import _
from kamdesk.services.errors import ConflictError, StorageError
from kamdesk.ui import prompts
from kamdesk.ui.dialogs.conflict_dialog import ChangeBanner, RecordTexts, StaleSave, WatchedEditor
from kamdesk.ui.ops import Op
from kamdesk.ui.widgets.field_error import INVALID_STYLE, FieldError

D = TypeVar("D")
T = TypeVar("T")


@dataclass(frozen=True)
class RecordWords:
    """The words one kind of record is spoken of with (all already translated)."""

    not_saved: str
    not_deleted: str
    delete_title: str
    delete_question: str  # {name}
    discard_question: str
    restored_as_new: str
    reload_title: str
    conflict: RecordTexts
    #: What the busy window says when saving, deleting or reading again takes a while.
    saving: str = ""
    deleting: str = ""
    reading: str = ""


class RecordEditor(WatchedEditor, Generic[D]):
    """Put before QDialog among an editor's bases; the editor has `detail`, `service`, `read_only`, `_loaded`."""

    detail: Any
    service: Any
    read_only: bool
    _loaded: Any
    merge_notice: str
    #: The exception the service and `_draft` raise for refused input; it carries `.errors` (field → text).
    validation_error: type[Exception]
    #: The order fields are listed in when a stale save asks which version to keep.
    field_order: tuple[str, ...]

    # Hooks ------------------------------------------------------------------------------------
    def words(self) -> RecordWords:
        raise NotImplementedError

    def _draft(self) -> D:
        raise NotImplementedError

    #: The tab that shows the field an error is about (the first tab when not listed).
    error_pages: dict[str, int] = {}

    def error_edits(self) -> dict[str, QWidget]:
        """The fields whose border turns red when refused, by error key."""
        return {}

    def _snapshot(self) -> Any:
        raise NotImplementedError

    def is_modified(self) -> bool:
        raise NotImplementedError

    def field_labels(self) -> dict[str, str]:
        raise NotImplementedError

    def describe_field(self, name: str, value: Any) -> str:
        raise NotImplementedError

    def _confirm_save(self, draft: D) -> bool:
        """A last question before saving (say, a possible duplicate); False leaves the form open."""
        return True

    def _announce_saved(self, saved: Any) -> None:
        """Tell listeners what the service's save returned."""
        raise NotImplementedError

    def _announce_deleted(self, record_id: int) -> None:
        raise NotImplementedError

    # The shared frame ---------------------------------------------------------------------------
    errors: dict[str, FieldError]

    def field_row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> Any:
        """Add `widget` to `form` with an error line under it (shown by `_show_errors` for `key`)."""
        holder = QWidget()
        # The holder keeps to its content, so a hidden error line leaves no gap in the form.
        holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget)
        self.errors[key] = FieldError()
        box.addWidget(self.errors[key])
        form.addRow(label, holder)
        return widget

    def build_frame(self, pages: list[tuple[QWidget, str]], delete_text: str) -> None:
        """The pages as tabs, the changed-underneath banner above, Save / Cancel / Delete… below (Ctrl+S saves)."""
        dialog = self._dialog()
        self.tabs = QTabWidget()
        for page, title in pages:
            self.tabs.addTab(page, title)
        self.changed_label = QLabel()
        self.changed_label.setStyleSheet("color: palette(mid)")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = self.buttons.addButton(delete_text, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setVisible(self.detail.id is not None)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(QKeySequence.StandardKey.Save, dialog).activated.connect(self.save)
        self.banner = ChangeBanner()
        self.banner.reload_requested.connect(self.reload_theirs)
        layout = QVBoxLayout(dialog)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.changed_label)
        layout.addWidget(self.buttons)
        if self.read_only:
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            self.delete_button.setEnabled(False)
            self.changed_label.setText(_("This team file is open read-only; changes cannot be saved."))

    # Refusals shown on their fields -------------------------------------------------------------
    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        for edit in self.error_edits().values():
            edit.setStyleSheet("")

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field, the first refused field's tab shown and that field focused."""
        self._clear_errors()
        edits = self.error_edits()
        for key, message in errors.items():
            label = self.errors.get(key)
            if label is not None:
                label.show_message(message)
            if key in edits:
                edits[key].setStyleSheet(INVALID_STYLE)
        first = min(errors, key=lambda k: self.error_pages.get(k, 0))
        self.tabs.setCurrentIndex(self.error_pages.get(first, 0))
        if first in edits:
            edits[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def field_errors(self) -> dict[str, str]:
        """The messages currently shown under fields (for tests and screen readers)."""
        return {k: v.text() for k, v in self.errors.items() if not v.isHidden()}

    # The shared commands ------------------------------------------------------------------------
    def reload_title(self) -> str:
        return self.words().reload_title

    def _reading_label(self) -> str:
        return self.words().reading

    def save(self) -> bool:
        if self.read_only or self._busy():
            return False
        self._working = True  # a second Save (Ctrl+S, a double click) while this one runs does nothing
        try:
            return self._save()
        finally:
            self._working = False

    def off_gui_thread(self, work: Callable[[], T], label: str) -> T:
        """`work()` in the thread pool while the window keeps repainting, behind a busy window saying `label`
        if it takes a while; its result, or its error raised here."""
        return Op(self._dialog(), work, self._dialog().windowTitle()).progress(label).wait()

    def _busy(self) -> bool:
        """Whether a save or delete is on its way (the window keeps answering while it runs off the GUI thread)."""
        return bool(getattr(self, "_working", False))

    def _save(self) -> bool:
        try:
            draft = self._draft()
        except self.validation_error as exc:
            self._show_errors(exc.errors)  # type: ignore[attr-defined]
            return False
        self._clear_errors()
        try:
            if not self._confirm_save(draft):
                return False
            # Off the GUI thread: a busy file shows a busy window instead of freezing this one.
            saved = self.off_gui_thread(lambda: self.service.save(draft), self.words().saving)
        except self.validation_error as exc:
            self._show_errors(exc.errors)  # type: ignore[attr-defined]
            return False
        except ConflictError:
            return self._settle_conflict(draft)
        except StorageError as exc:
            prompts.current().warn(self._dialog(), self.words().not_saved, str(exc))
            return False
        self._done_saving(saved)
        return True

    def _settle_conflict(self, draft: D) -> bool:
        """The save met someone else's: merge, ask about clashing fields, or restore a deleted record."""
        words = self.words()
        flow: StaleSave[D] = StaleSave(
            self._dialog(),
            words.conflict,
            merge=self.service.merge,
            save=self.service.save,
            restore=self.service.restore_as_new,
            labels=self.field_labels(),
            describe=self.describe_field,
            order=self.field_order,
            title=self._dialog().windowTitle(),
            label=words.saving,
        )
        try:
            outcome = flow.settle(self.detail, draft)
        except self.validation_error as exc:
            self._show_errors(exc.errors)  # type: ignore[attr-defined]
            return False
        except StorageError as exc:
            prompts.current().warn(self._dialog(), words.not_saved, str(exc))
            return False
        if outcome.status == "cancelled":
            return False
        if outcome.status == "discarded":
            assert self.detail.id is not None
            self._announce_deleted(self.detail.id)
            self._loaded = self._snapshot()
            QDialog.reject(self._dialog())
            return False
        self.merge_notice = outcome.notice if outcome.status == "saved" else words.restored_as_new
        prompts.current().notify(self._dialog(), self.merge_notice)
        self._done_saving(outcome.value)
        return True

    def _done_saving(self, saved: Any) -> None:
        self._announce_saved(saved)
        self._loaded = self._snapshot()
        self._dialog().accept()

    def delete(self) -> None:
        d = self.detail
        if d.id is None or self.read_only or self._busy():
            return
        words = self.words()
        if not prompts.current().ask_yes_no(
            self._dialog(), words.delete_title, words.delete_question.format(name=d.name)
        ):
            return
        record_id, version = d.id, d.version
        self._working = True
        try:  # off the GUI thread: a busy file shows a busy window instead of freezing this one
            self.off_gui_thread(lambda: self.service.delete(record_id, version), words.deleting)
        except StorageError as exc:
            prompts.current().warn(self._dialog(), words.not_deleted, str(exc))
            return
        finally:
            self._working = False
        self._announce_deleted(d.id)
        self._loaded = self._snapshot()
        self._dialog().accept()

    def reject(self) -> None:
        if (
            not self.read_only
            and self.is_modified()
            and not prompts.current().ask_yes_no(self._dialog(), _("Discard changes?"), self.words().discard_question)
        ):
            return
        QDialog.reject(self._dialog())

    def _dialog(self) -> QDialog:
        assert isinstance(self, QDialog)
        return self
