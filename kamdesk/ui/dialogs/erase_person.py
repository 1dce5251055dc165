"""Erase this person…: the confirmation listing what goes and which copies of the file still hold them, then the erase."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from kamdesk.domain.personal_data import CopyChoice, ErasePlan
from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace
from kamdesk.ui import prompts, tasks

#: The answers offered when copies of the file hold the person, in the order the buttons show them.
COPY_CHOICES = (CopyChoice.ERASE, CopyChoice.DELETE, CopyChoice.KEEP)


def _ask(parent: QWidget, title: str, plan: ErasePlan) -> CopyChoice | None:
    """The person's answer to the confirmation: what to do with the copies, or None for Cancel."""
    if not plan.copies:
        if prompts.current().confirm_destructive(parent, title, plan.confirmation(), _("Erase")):
            return CopyChoice.KEEP
        return None
    options = [
        _("Erase from the file and its copies"),
        _("Erase from the file, delete the copies"),
        _("Erase from the file only"),
    ]
    answer = prompts.current().choose(parent, title, plan.confirmation(), options)
    return None if answer is None else COPY_CHOICES[answer]


def erase_person(parent: QWidget, workspace: Workspace, contact_id: int, changed: Callable[[int], None]) -> bool:
    """Erase one contact after a confirmation listing exactly what goes; refused while others are in.

    `changed(contact_id)` is called once the file may have changed (the erase done, or stopped part-way)."""
    title = _("Erase this person")
    service = workspace.personal_data
    try:  # off the GUI thread: it reads the person's rows and looks at the file's copies
        plan: ErasePlan = tasks.run_busy(parent, title, title, lambda: service.erase_preview(contact_id))
    except StorageError as exc:
        prompts.current().warn(parent, title, str(exc))
        return False
    if plan.others_open:
        prompts.current().warn(
            parent,
            title,
            _(
                "{name} cannot be erased while others have this file open ({who}). Erasing compacts the whole "
                "file, which needs it to yourself; ask them to close kamdesk, then try again."
            ).format(name=plan.name, who=plan.others_open),
        )
        return False
    choice = _ask(parent, title, plan)
    if choice is None:
        return False
    try:  # compacting a large file (and its copies) takes a while: off the GUI thread
        done: ErasePlan = tasks.run_busy(
            parent,
            title,
            _("Erasing {name} and compacting the file…").format(name=plan.name),
            lambda: service.erase_person(contact_id, choice),
        )
    except StorageError as exc:
        prompts.current().warn(parent, title, str(exc))
        changed(contact_id)
        return False
    changed(contact_id)
    text = _("{name} was erased and the file compacted.").format(name=plan.name)
    summary = done.outcome.summary() if done.outcome is not None else ""
    prompts.current().inform(parent, title, f"{text}\n\n{summary}" if summary else text)
    return True
