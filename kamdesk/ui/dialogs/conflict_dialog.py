"""Settling a save that met someone else's: merge what does not clash, ask field by field about what does,
offer to restore a record deleted meanwhile, and the banner an editor shows when its record changes underneath."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kamdesk.domain.merge import MINE, THEIRS, RecordStamp, fields_in_order
from kamdesk.i18n import _
from kamdesk.services.conflicts import RecordMerge
from kamdesk.services.workspace import ConflictError, StorageError
from kamdesk.ui import change_notices, formatting, prompts, tasks
from kamdesk.ui.ops import Op

D = TypeVar("D")

BANNER_STYLE = (
    "QFrame#changeBanner { background: #fff4ce; border: 1px solid #e0b000; border-radius: 4px; }"
    " QFrame#changeBanner QLabel { color: #4a3b00; }"
)
DELETED_STYLE = (
    "QFrame#changeBanner { background: #fde7e9; border: 1px solid #b00020; border-radius: 4px; }"
    " QFrame#changeBanner QLabel { color: #5c0010; }"
)
#: How many times a save is merged again when yet another person saves in between.
MAX_ROUNDS = 5


def when_text(at: dt.datetime | None) -> str:
    """A stored UTC time as the person's local date and time."""
    if at is None:
        return "?"
    return formatting.date_time(at)


def who_text(by: str) -> str:
    return by or _("someone else")


@dataclass(frozen=True)
class ConflictRow:
    """One conflicting field as the person sees it."""

    field: str
    label: str
    base: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class ConflictView:
    title: str
    intro: str
    theirs_header: str  # "Theirs" and, on a second line, who changed it and when
    rows: tuple[ConflictRow, ...]


class ConflictDialog(QDialog):
    """A table of the conflicting fields (when you opened it, yours, theirs) with keep mine / keep theirs each."""

    def __init__(self, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(view.title)
        intro = QLabel(view.intro)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(view.rows), 5)
        self.table.setHorizontalHeaderLabels(
            [_("Field"), _("When you opened it"), _("Yours"), view.theirs_header, _("Keep")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the choices take the keyboard, not the cells
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons_by_field: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        for row, item in enumerate(view.rows):
            for column, text in enumerate((item.label, item.base, item.mine, item.theirs)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(row, column, cell)
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(6, 2, 6, 2)
            box.setSpacing(0)
            mine = QRadioButton(_("Keep mine"))
            theirs = QRadioButton(_("Keep theirs"))
            mine.setChecked(True)
            group = QButtonGroup(holder)
            group.addButton(mine)
            group.addButton(theirs)
            box.addWidget(mine)
            box.addWidget(theirs)
            self.table.setCellWidget(row, 4, holder)
            self.groups[item.field] = group
            self.buttons_by_field[item.field] = (mine, theirs)
        self.all_mine = QPushButton(_("All mine"))
        self.all_theirs = QPushButton(_("All theirs"))
        self.all_mine.clicked.connect(lambda: self.choose_all(MINE))
        self.all_theirs.clicked.connect(lambda: self.choose_all(THEIRS))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.all_mine)
        bottom.addWidget(self.all_theirs)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(900, min(640, 200 + 70 * max(len(view.rows), 1)))
        self.table.resizeRowsToContents()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.table.resizeRowsToContents()  # wrapped text needs taller rows once the widths are known

    def choose(self, field: str, side: str) -> None:
        mine, theirs = self.buttons_by_field[field]
        (mine if side == MINE else theirs).setChecked(True)

    def choose_all(self, side: str) -> None:
        for field in self.buttons_by_field:
            self.choose(field, side)

    def choices(self) -> dict[str, str]:
        return {field: (MINE if mine.isChecked() else THEIRS) for field, (mine, _t) in self.buttons_by_field.items()}


@dataclass(frozen=True)
class RecordTexts:
    """What the flow says about one kind of record (whole sentences, so each language can word them)."""

    conflict_title: str
    conflict_intro: str  # {who}, {when}
    deleted_title: str
    deleted_text: str  # {who}, {when}


def account_texts() -> RecordTexts:
    return RecordTexts(
        _("Someone else changed this account"),
        _(
            "{who} saved this account at {when} while you were editing it. Their changes to other fields and yours "
            "are merged; for the fields below, choose which version to keep."
        ),
        _("Account deleted"),
        _(
            "{who} deleted this account at {when} while you were editing it. Restore it as a new account with your "
            "version (its values and team included), or discard your changes?"
        ),
    )


def contact_texts() -> RecordTexts:
    return RecordTexts(
        _("Someone else changed this contact"),
        _(
            "{who} saved this contact at {when} while you were editing it. Their changes to other fields and yours "
            "are merged; for the fields below, choose which version to keep."
        ),
        _("Contact deleted"),
        _(
            "{who} deleted this contact at {when} while you were editing it. Restore them as a new contact with your "
            "version (family, dates and links included), or discard your changes?"
        ),
    )


@dataclass
class SaveOutcome(Generic[D]):
    """How a stale save ended: "saved" (merged), "restored" (as new), "discarded" or "cancelled"."""

    status: str
    value: Any = None
    notice: str = ""


class StaleSave(Generic[D]):
    """Settles a save that raised ConflictError: merge, ask about clashes, or restore a deleted record."""

    def __init__(
        self,
        parent: QWidget,
        texts: RecordTexts,
        *,
        merge: Callable[[D, D], RecordMerge[D]],
        save: Callable[[D], Any],
        restore: Callable[[D], Any],
        labels: Mapping[str, str],
        describe: Callable[[str, Any], str],
        order: tuple[str, ...],
        title: str = "",
        label: str = "",
    ) -> None:
        """`merge`, `save` and `restore` read or write the file: they run off the GUI thread behind a busy
        window (`title` names it, `label` says what it does), one at a time, while the questions are asked on the GUI thread."""
        self.parent = parent
        self.title = title
        self.label = label
        self.texts = texts
        self.merge = merge
        self.save = save
        self.restore = restore
        self.labels = labels
        self.describe = describe
        self.order = order

    def settle(self, base: D, mine: D) -> SaveOutcome[D]:
        for _round in range(MAX_ROUNDS):
            merge: RecordMerge[D] = self._off(partial(self.merge, base, mine))
            stamp = merge.stamp
            if merge.deleted:
                return self._deleted(stamp, mine)
            choices: dict[str, str] = {}
            if not merge.clean:
                answer = prompts.current().resolve_conflicts(self.parent, self._view(merge))
                if answer is None:
                    return SaveOutcome("cancelled")
                choices = answer
            merged = merge.merged(choices)  # type: ignore[arg-type]
            try:
                value = self._off(partial(self.save, merged))
            except ConflictError:
                assert merge.current is not None
                base, mine = merge.current, merged  # yet another save in between: merge again on top of it
                continue
            return SaveOutcome("saved", value, self._notice(merge, choices))
        raise ConflictError("", "")

    def _off(self, work: Callable[[], Any]) -> Any:
        """`work()` in the thread pool; the window keeps repainting (a busy window if it takes a while)."""
        return Op(self.parent, work, self.title).progress(self.label).wait()

    def _deleted(self, stamp: RecordStamp, mine: D) -> SaveOutcome[D]:
        choice = prompts.current().choose(
            self.parent,
            self.texts.deleted_title,
            self.texts.deleted_text.format(who=who_text(stamp.by), when=when_text(stamp.at)),
            [_("Restore as new"), _("Discard my changes")],
        )
        if choice == 0:
            return SaveOutcome("restored", self._off(partial(self.restore, mine)))
        if choice == 1:
            return SaveOutcome("discarded")
        return SaveOutcome("cancelled")

    def _view(self, merge: RecordMerge[D]) -> ConflictView:
        assert merge.result is not None
        stamp = merge.stamp
        conflicts = {c.field: c for c in merge.result.conflicts}
        rows = tuple(
            ConflictRow(
                name,
                self.labels.get(name, name),
                self.describe(name, conflicts[name].base),
                self.describe(name, conflicts[name].mine),
                self.describe(name, conflicts[name].theirs),
            )
            for name in fields_in_order(conflicts, self.order)
        )
        who, when = who_text(stamp.by), when_text(stamp.at)
        return ConflictView(
            self.texts.conflict_title,
            self.texts.conflict_intro.format(who=who, when=when),
            _("Theirs") + "\n" + _("(changed by {who} at {when})").format(who=who, when=when),
            rows,
        )

    def _notice(self, merge: RecordMerge[D], choices: Mapping[str, str]) -> str:
        assert merge.result is not None
        result = merge.result
        kept = [*result.mine_only, *(f for f, side in choices.items() if side == MINE)]
        theirs = [*result.theirs_only, *(f for f, side in choices.items() if side == THEIRS)]
        names = self._names
        who, when = who_text(merge.stamp.by), when_text(merge.stamp.at)
        if kept and theirs:
            return _(
                "Saved. Your changes to {mine} were merged with {who}'s changes to {theirs} (saved at {when})."
            ).format(mine=names(kept), who=who, theirs=names(theirs), when=when)
        if kept:
            return _("Saved. Your changes to {mine} were kept; {who} had saved this record at {when}.").format(
                mine=names(kept), who=who, when=when
            )
        return _("Saved with {who}'s changes to {theirs} (saved at {when}).").format(
            who=who, theirs=names(theirs) or "—", when=when
        )

    def _names(self, fields: list[str]) -> str:
        return _(", ").join(self.labels.get(f, f) for f in fields_in_order(fields, self.order))


class ChangeBanner(QFrame):
    """ "Changed by X at T" with Reload (or "Deleted by X at T") above an editor; hidden until needed."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.reload_button = QPushButton(_("Reload"))
        self.reload_button.clicked.connect(self.reload_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.reload_button)
        self.stamp: RecordStamp | None = None
        self.hide()

    def show_stamp(self, stamp: RecordStamp) -> None:
        self.stamp = stamp
        who, when = who_text(stamp.by), when_text(stamp.at)
        if stamp.deleted:
            self.label.setText(
                _("Deleted by {who} at {when}. Saving offers to restore it as new.").format(who=who, when=when)
            )
            self.setStyleSheet(DELETED_STYLE)
        else:
            self.label.setText(
                _(
                    "Changed by {who} at {when}. Reload to see their version, or save to merge "
                    "your changes with theirs."
                ).format(who=who, when=when)
            )
            self.setStyleSheet(BANNER_STYLE)
        self.reload_button.setVisible(not stamp.deleted)
        self.show()

    def clear(self) -> None:
        self.stamp = None
        self.hide()


class WatchedEditor:
    """For a record editor (put before QDialog among its bases): the banner when someone else saves or
    deletes the record being edited, found on the window's change poll or when the editor is active
    again, and Reload. The editor has `detail` (with id and version), `service` (stamp, get),
    `banner`, `is_modified()`, `_load(detail)` and `reload_title()`."""

    detail: Any
    service: Any
    banner: ChangeBanner

    def reload_title(self) -> str:
        raise NotImplementedError

    def is_modified(self) -> bool:
        raise NotImplementedError

    def _load(self, detail: Any) -> None:
        raise NotImplementedError

    def _as_widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def watch_changes(self) -> None:
        #: The record was read just now: the first activation (the opening) need not ask the file again.
        self._read_just_now = True
        self._watching = self.detail.id is not None
        if self._watching:
            change_notices.hub().changes_seen.connect(self._on_changes_seen)

    def check_underneath(self) -> None:
        """Ask the file, off the GUI thread, whether someone else changed or deleted the record since it was
        loaded; the banner shows (or goes) when the answer lands. One question at a time: a request while one
        is on its way asks once more after it; an answer about a version no longer shown is dropped."""
        if self.detail.id is None:
            return
        if getattr(self, "_checking", False):
            self._check_again = True
            return
        self._checking, self._check_again = True, False
        record_id, version = self.detail.id, self.detail.version
        stamp_of = self.service.stamp

        def landed(stamp: RecordStamp | None) -> None:
            self._checking = False
            if (self.detail.id, self.detail.version) == (record_id, version):
                self._show_underneath(stamp)
            if self._check_again:
                self.check_underneath()

        def failed(exc: Exception) -> None:
            self._checking = False
            if not isinstance(exc, StorageError):  # busy: the next poll or focus asks again
                from kamdesk.ui.errors import report

                report(self._as_widget(), exc)

        tasks.run(lambda: stamp_of(record_id), landed, failed, owner=self._as_widget())

    def checking_underneath(self) -> bool:
        """Whether a check is on its way (for tests)."""
        return bool(getattr(self, "_checking", False))

    def _show_underneath(self, stamp: RecordStamp | None) -> None:
        if stamp is not None and (stamp.deleted or stamp.version != self.detail.version):
            self.banner.show_stamp(stamp)
        else:
            self.banner.clear()

    def _on_changes_seen(self, _entries: list[Any]) -> None:
        self.check_underneath()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)  # type: ignore[misc]
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():  # type: ignore[attr-defined]
            if getattr(self, "_read_just_now", False):
                self._read_just_now = False  # the record was read just before the editor opened
            else:
                self.check_underneath()

    def _reading_label(self) -> str:
        """What the busy window says while the record is read again."""
        return ""

    def _read_again(self, record_id: int) -> Any:
        """The record as it is now and what the editor shows with it, read in one unit of work off the GUI
        thread (None when it is gone)."""
        return self.service.get(record_id)

    def _load_read(self, read: Any) -> None:
        """Show what `_read_again` returned."""
        self._load(read)

    def reload_theirs(self) -> None:
        """Load the record as it is now; asks first when that would throw away unsaved edits."""
        if self.detail.id is None:
            return
        if self.is_modified() and not prompts.current().ask_yes_no(
            self._as_widget(),
            self.reload_title(),
            _(
                "Load the version saved by others and lose your unsaved changes? (Saving instead merges your "
                "changes with theirs.)"
            ),
        ):
            return
        record_id = self.detail.id
        try:
            fresh = (
                Op(self._as_widget(), lambda: self._read_again(record_id), self._as_widget().windowTitle())
                .progress(self._reading_label())
                .wait()
            )
        except StorageError as exc:
            prompts.current().warn(self._as_widget(), self.reload_title(), str(exc))
            return
        if fresh is None:
            self.check_underneath()
            return
        self._load_read(fresh)
        self.banner.clear()

    def done(self, result: int) -> None:
        if getattr(self, "_watching", False):  # once: a second disconnect only warns (done runs again on close)
            self._watching = False
            try:
                change_notices.hub().changes_seen.disconnect(self._on_changes_seen)
            except (RuntimeError, TypeError):
                pass  # already disconnected
        super().done(result)  # type: ignore[misc]
