"""Why a planner found nothing, and what to set so it finds something: no planner answers "0" without a reason."""

from __future__ import annotations

from kamdesk.i18n import _
from kamdesk.services.workspace import StorageError, Workspace


def rules_found_nothing(workspace: Workspace) -> str:
    """Why "Plan a year from the contact rules" planned nothing on this file, and where to act."""
    try:
        summary = workspace.summary()
    except StorageError as exc:
        return str(exc)
    classed = sum(count for cls, count in summary.accounts_by_class.items() if cls in {"A", "B", "C", "D"})
    if not summary.contacts:
        return _(
            "Nothing was planned: there is nobody to keep in touch with yet. Add the people you deal with at each "
            "account (Contacts & Org Map → New contact…), then plan again."
        )
    if not classed:
        return _(
            "Nothing was planned: the rules say how often to call by the account's class, and no account has a "
            "class yet. Record each account's revenue (Accounts → double-click → Edit account… → Values), or set "
            "its class by hand there, then plan again."
        )
    return _(
        "Nothing new was planned: everyone at a classed account already has their next regular call and care "
        "greeting on the agenda, or none falls due within the year. Follow-ups → Plan for many → Contact rules… "
        "sets how often each class is called."
    )
