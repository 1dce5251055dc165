"""Headless sub-commands (version, demo, check, print, import, export, person, smoke test) and the hand-off to the GUI."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kamdesk import __version__
from kamdesk.domain import clock
from kamdesk.i18n import N_, _, detect_language, set_language

if TYPE_CHECKING:
    from kamdesk.domain.models import PresenceEntry

COMMANDS = ("demo", "check", "print", "import", "export", "backup", "restore", "person", "compact", "propose", "advise")
#: Commands that later versions bring; named here so they fail clearly instead of opening the window.
PLANNED_COMMANDS = ("bench",)
#: Exports: what this version writes, and in which formats (the first is the default).
EXPORT_FORMATS = {
    "agenda": ("ics",),
    "accounts": ("csv", "xlsx"),
    "contacts": ("csv", "xlsx", "vcf"),
    "activities": ("csv", "xlsx"),
    "gifts": ("csv", "xlsx"),
    "visits": ("csv", "xlsx"),
    "catalogue": ("csv", "xlsx"),
}
EXPORTS = {(kind, fmt) for kind, formats in EXPORT_FORMATS.items() for fmt in formats}
IMPORT_KINDS = ("accounts", "contacts", "team", "activities", "gifts", "catalogue")
#: What an import counts, in words: "Imported 26 catalogue items".
IMPORTED_WHAT = {
    "accounts": N_("accounts"),
    "contacts": N_("contacts"),
    "team": N_("team members"),
    "activities": N_("activities"),
    "gifts": N_("gift register entries"),
    "catalogue": N_("catalogue items"),
}
#: Sessions `check` names one by one (the latest); beyond this only their number is given.
LISTED_SESSIONS = 5
#: `check` shows how far it is for files at least this large (bytes).
CHECK_PROGRESS_MIN_BYTES = 32 * 1024 * 1024
#: Rows listed one by one after an import; beyond this only their number is given.
LISTED_ROWS = 1_000
#: Printouts: the ones this version makes, and the ones still to come.
PRINT_KINDS = ("org-map", "account-plan", "gift-schedule", "visit-schedule", "gift-labels", "pick-list")
PLANNED_PRINT_KINDS: tuple[str, ...] = ()


def _print_error(message: str) -> None:
    print(_("kamdesk: {message}").format(message=message), file=sys.stderr)


def _demo(args: argparse.Namespace) -> int:
    from kamdesk.services.demo import load_demo

    out = Path(args.out)
    started = time.perf_counter()
    try:
        counts = load_demo(out, args.size)
    except (ValueError, OSError) as exc:
        _print_error(str(exc))
        return 2
    except Exception as exc:  # storage errors carry a message for people
        from kamdesk.services.workspace import StorageError

        if isinstance(exc, StorageError):
            _print_error(str(exc))
            return 2
        raise
    seconds = time.perf_counter() - started
    size_mb = out.stat().st_size / 1_000_000
    print(
        _("Demo data written to {path} in {seconds:.1f} s ({size:.1f} MB):").format(
            path=out, seconds=seconds, size=size_mb
        )
    )
    for table, count in counts.items():
        print(f"  {table}: {count}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from kamdesk.domain.server_address import is_server_url

    if is_server_url(args.file):
        return _check_server(args.file)
    if args.clear_crashed:
        return _clear_crashed(args)
    from kamdesk.services.file_check import start_copy

    # The copy of a large or shared file starts first: loading the rest of kamdesk overlaps its reads.
    started = start_copy(Path(args.file).absolute())
    try:
        from kamdesk.services.workspace import check_file

        report = check_file(args.file, progress=_check_progress(Path(args.file)), started=started)
    except OSError as exc:
        _print_error(_("{path} cannot be read: {reason}").format(path=args.file, reason=exc.strerror or exc))
        return 1
    finally:
        if started is not None:
            started.discard()
    print(_("File: {path}").format(path=report.path))
    print(_("Integrity: {value}").format(value=report.integrity or "-"))
    print(
        _("Schema version: {found} (this kamdesk supports up to {supported})").format(
            found=report.schema_version, supported=report.supported_version
        )
    )
    print(_("Application id: {value}").format(value=hex(report.application_id)))
    print(_("Journal mode: {value}").format(value=report.journal_mode or "-"))
    print(_("Location: {value}").format(value=report.location or "-"))
    print(_("Writable: {value}").format(value=_("yes") if report.writable else _("no")))
    _print_sessions(_clear_abandoned(args, report))
    for note in report.notes:
        print(_("Note: {note}").format(note=note))
    for problem in report.problems:
        print(_("Problem: {problem}").format(problem=problem), file=sys.stderr if not report.healthy else sys.stdout)
    if not report.checked:
        print(_("Not checked"))
        return 1
    print(_("Healthy") if report.healthy else _("NOT healthy"))
    return 0 if report.healthy else 1


def _check_progress(path: Path) -> Callable[[str, int, int], None] | None:
    """For a large file, how far `check` is, on stderr: the copy's line updates in place on a terminal (else
    one every few seconds), then a line when the check of the copy starts."""
    try:
        if path.stat().st_size < CHECK_PROGRESS_MIN_BYTES:
            return None
    except OSError:
        return None
    terminal = sys.stderr.isatty()
    said, said_at = "", time.monotonic()

    def say(phase: str, done: int, total: int) -> None:
        nonlocal said, said_at
        megabytes = round(total / 1_000_000)
        if phase == "checking":
            line = _("Checking the copy of {total} MB…").format(total=megabytes)
        else:
            line = _("Copied {done} of {total} MB").format(done=done // 1_000_000, total=megabytes)
        now = time.monotonic()
        if line == said or (phase == "copying" and not terminal and now - said_at < 5):
            return
        if terminal and phase == "copying":
            print("\r" + line, end="", file=sys.stderr, flush=True)
        else:
            print(("\n" if terminal and said else "") + line, file=sys.stderr, flush=True)
        said, said_at = line, now

    return say


def _check_server(url: str) -> int:
    from kamdesk.services.server import check_server

    report = check_server(url)
    print(_("Server: {url}").format(url=report.url))
    print(
        _("Server version: {value}").format(
            value=("PostgreSQL " + report.server_version) if report.server_version else "-"
        )
    )
    print(
        _("Schema version: {found} (this kamdesk supports up to {supported})").format(
            found=report.schema_version, supported=report.supported_version
        )
    )
    print(_("Backups: made on the server (kamdesk makes none of a server database)"))
    for problem in report.problems:
        print(_("Problem: {problem}").format(problem=problem), file=sys.stderr if not report.healthy else sys.stdout)
    print(_("Healthy") if report.healthy else _("NOT healthy"))
    return 0 if report.healthy else 1


def _print_sessions(sessions: tuple[PresenceEntry, ...]) -> None:
    """How many sessions the file lists: the live ones by name, the gone ones as a count with the latest named."""
    from kamdesk.services.workspace import PRESENCE_STALE_AFTER

    if not sessions:
        print(_("Open sessions: none"))
        return
    print(_("Open sessions: {count}").format(count=len(sessions)))
    now = clock.utc_now()
    fresh = [e for e in sessions if now - e.heartbeat_at <= PRESENCE_STALE_AFTER]
    gone = sorted((e for e in sessions if now - e.heartbeat_at > PRESENCE_STALE_AFTER), key=lambda e: e.heartbeat_at)
    gone.reverse()
    for entry in fresh[:LISTED_SESSIONS]:
        print(_session_line(entry, now))
    if len(fresh) > LISTED_SESSIONS:
        print(_("  … and {count} more").format(count=len(fresh) - LISTED_SESSIONS))
    if not gone:
        return
    print(
        _(
            "  {count} gave no heartbeat within {minutes} min by this computer's clock (their kamdesk stopped, "
            "or their clock is behind); the latest:"
        ).format(count=len(gone), minutes=int(PRESENCE_STALE_AFTER.total_seconds() // 60))
    )
    for entry in gone[:LISTED_SESSIONS]:
        print("  " + _session_line(entry, now))
    if len(gone) > LISTED_SESSIONS:
        print(
            _(
                "    … and {count} older ones. 'kamdesk check FILE --clear-crashed' watches their heartbeats "
                "and clears those that stopped."
            ).format(count=len(gone) - LISTED_SESSIONS)
        )


def _session_line(entry: PresenceEntry, now: dt.datetime) -> str:
    return _("  {name} on {host} since {since} UTC, last heartbeat {minutes} min ago").format(
        name=entry.user_name,
        host=entry.host,
        since=entry.opened_at.strftime("%Y-%m-%d %H:%M"),
        minutes=max(0, int((now - entry.heartbeat_at).total_seconds() // 60)),
    )


def _clear_abandoned(args: argparse.Namespace, report: Any) -> tuple[PresenceEntry, ...]:
    """Clear (and log) the sessions whose last heartbeat is over a week old; the sessions left to show.

    Only on a healthy, writable file of this schema version: check never upgrades or repairs a file."""
    from kamdesk.domain.presence import ABANDONED_AFTER
    from kamdesk.services.workspace import StorageError, open_workspace

    now = clock.utc_now()
    old = [e for e in report.sessions if now - e.heartbeat_at > ABANDONED_AFTER]
    if not old or not report.healthy or not report.writable or report.schema_version != report.supported_version:
        return tuple(report.sessions)
    try:
        workspace = open_workspace(args.file, args.user or _("command line"))
        try:
            if workspace.read_only:
                raise StorageError(workspace.read_only_reason)
            cleared = workspace.backups.clear_sessions(old)
        finally:
            workspace.close()
    except StorageError as exc:
        print(
            _("{count} sessions with no heartbeat for over {days} days could not be cleared: {reason}").format(
                count=len(old), days=ABANDONED_AFTER.days, reason=exc
            )
        )
        return tuple(report.sessions)
    print(
        _("Cleared {count} sessions with no heartbeat for over {days} days; the change log records it.").format(
            count=cleared, days=ABANDONED_AFTER.days
        )
    )
    gone = {e.session_id for e in old}
    return tuple(e for e in report.sessions if e.session_id not in gone)


def _backup(args: argparse.Namespace) -> int:
    from kamdesk.services.backups import BackupError, backup_file
    from kamdesk.services.workspace import StorageError

    try:
        made = backup_file(args.file, args.to)
    except BackupError as exc:
        _print_error(str(exc))
        return 1
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    print(_("Backup written and verified: {path} ({size:.1f} MB)").format(path=made.path, size=made.size / 1_000_000))
    return 0


def _watch_window(args: argparse.Namespace) -> dt.timedelta:
    return dt.timedelta(seconds=max(0.0, float(args.watch)))


def _say_watching(entries: list[PresenceEntry], seconds: float) -> None:
    print(
        _(
            "Others are listed as having the file open: {who}. Watching their heartbeats for up to {seconds} s to "
            "tell whether they are still working (Ctrl+C stops)…"
        ).format(who=_who(entries), seconds=int(seconds)),
        file=sys.stderr,
        flush=True,
    )


def _who(entries: list[PresenceEntry]) -> str:
    return "; ".join(
        _("{name} on {host} since {since} UTC").format(
            name=e.user_name, host=e.host, since=e.opened_at.strftime("%Y-%m-%d %H:%M")
        )
        for e in entries
    )


def _say_crashed(entries: list[PresenceEntry], file: str) -> None:
    if entries:
        print(
            _(
                "No heartbeat from {who}: their kamdesk seems to have stopped. 'kamdesk check {file} "
                "--clear-crashed' removes such entries (the change log records it)."
            ).format(who=_who(entries), file=file),
            file=sys.stderr,
        )


def _restore(args: argparse.Namespace) -> int:
    from kamdesk.services.backups import file_sessions, restore_file, watch_sessions
    from kamdesk.services.workspace import PRESENCE_STALE_AFTER, StorageError

    if not Path(args.backup).is_file():
        _print_error(_("the file {path} does not exist.").format(path=args.backup))
        return 1
    try:
        live = None
        if Path(args.file).is_file():
            watch = watch_sessions(lambda: file_sessions(args.file), _watch_window(args), on_watch=_say_watching)
            _say_crashed(watch.crashed, args.file)
            live = watch.live
        result = restore_file(args.backup, args.file, PRESENCE_STALE_AFTER, live_others=live)
    except KeyboardInterrupt:
        _print_error(_("stopped; nothing was changed."))
        return 1
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    if result.previous_copy is not None:
        print(_("The file as it was is kept in {path}").format(path=result.previous_copy))
    print(_("Restored {backup} to {path}; integrity ok.").format(backup=result.restored_from, path=result.target))
    return 0


def _parse_day(text: str | None, what: str) -> dt.date:
    if not text:
        raise ValueError(_("give {what} as a date such as 2027-09-01.").format(what=what))
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{text!r} is not a date; write it as 2027-09-01.").format(text=text)) from None


def _write_report(file: str, out: Path, write: Callable[[Any], int | None]) -> int:
    """Open FILE read-only and run `write(workspace)`, turning what can go wrong into a message and an
    exit code; prints OUT when the report was written (`write` returns None) and 0."""
    from kamdesk.domain.gifts import GiftError
    from kamdesk.services.workspace import StorageError, open_workspace

    if not out.parent.exists():
        _print_error(_("the folder {folder} does not exist.").format(folder=out.parent))
        return 1
    try:
        workspace = open_workspace(file, _("command line"), read_only=True)
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    try:
        code = write(workspace)
    except OSError as exc:
        _print_error(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror or exc))
        return 1
    except (GiftError, StorageError) as exc:
        _print_error(str(exc))
        return 1
    finally:
        workspace.close()
    if code is not None:
        return code
    print(out)
    return 0


def _print_schedule(args: argparse.Namespace) -> int:
    """print gift-schedule / visit-schedule / gift-labels / pick-list --from DATE --to DATE -o OUT.pdf"""
    try:
        start, end = _parse_day(args.date_from, "--from"), _parse_day(args.date_to, "--to")
    except ValueError as exc:
        _print_error(str(exc))
        return 2
    if not args.output:
        _print_error(_("print {kind} needs -o OUT.pdf").format(kind=args.kind))
        return 2
    out = Path(args.output)

    def write(workspace: Any) -> None:
        if args.kind == "gift-schedule":
            workspace.gifts.print_gift_schedule(start, end, out, group_by=args.group_by or "account")
        elif args.kind == "visit-schedule":
            workspace.gifts.print_visit_schedule(start, end, out)
        elif args.kind == "pick-list":
            workspace.gifts.print_pick_list(start, end, out)
        else:
            workspace.gifts.print_labels(start, end, out)

    return _write_report(args.file, out, write)


def _print(args: argparse.Namespace) -> int:
    if args.kind in PLANNED_PRINT_KINDS:
        _print_error(_("printing '{kind}' is not available in this version of kamdesk.").format(kind=args.kind))
        return 2
    if args.kind in ("gift-schedule", "visit-schedule", "gift-labels", "pick-list"):
        return _print_schedule(args)
    if not args.account or not args.output:
        _print_error(_("print {kind} needs --account NAME and -o OUT.pdf").format(kind=args.kind))
        return 2
    out = Path(args.output)

    def write(workspace: Any) -> int | None:
        found = workspace.contacts.find_accounts(args.account)
        if not found:
            _print_error(_("no account is called {name!r}.").format(name=args.account))
            return 1
        if len(found) > 1:
            names = [workspace.accounts.get(i) for i in found[:10]]
            _print_error(
                _("several accounts match {name!r}; give the full name, for example: {names}").format(
                    name=args.account, names="; ".join(d.name for d in names if d)
                )
            )
            return 1
        if args.kind == "org-map":
            workspace.contacts.print_org_map(
                found[0], str(out), title_date=_("Printed {date}").format(date=clock.today().isoformat())
            )
            return None
        plan_id = workspace.plans.find(found[0], args.period)
        if plan_id is not None:
            workspace.plans.print_pack(plan_id, out)
            return None
        account = workspace.accounts.get(found[0])
        period = args.period or f"FY{workspace.plans.today().year}"
        print(
            _("{account} has no account plan for {period} yet; printing the plan worksheet to fill in.").format(
                account=account.name if account else args.account, period=period
            ),
            file=sys.stderr,
        )
        workspace.plans.print_empty_pack(found[0], period, out)
        return None

    return _write_report(args.file, out, write)


def _export_format(args: argparse.Namespace) -> str:
    """The format asked for, else the output file's suffix when it names one, else the kind's default."""
    if args.format:
        return str(args.format).lower()
    suffix = Path(args.output or "").suffix.lower().lstrip(".")
    return suffix if suffix in EXPORT_FORMATS[args.kind] else EXPORT_FORMATS[args.kind][0]


def _export(args: argparse.Namespace) -> int:
    fmt = _export_format(args)
    if (args.kind, fmt) not in EXPORTS:
        _print_error(
            _("the {kind} can be exported as: {formats}.").format(
                kind=args.kind, formats=", ".join(EXPORT_FORMATS[args.kind])
            )
        )
        return 2
    if not args.output:
        _print_error(_("export needs -o OUT to name the file to write."))
        return 2
    from kamdesk.services.workspace import StorageError, open_workspace

    out = Path(args.output)
    if not out.parent.exists():
        _print_error(_("the folder {folder} does not exist.").format(folder=out.parent))
        return 1
    try:
        workspace = open_workspace(args.file, _("command line"), read_only=True)
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    try:
        if args.kind == "agenda":
            count = workspace.followups.export_ics(out, tz_name=args.timezone)
        else:
            from kamdesk.services.transfer import TransferService

            count = TransferService(workspace.db).export(args.kind, fmt, out)
    except OSError as exc:
        _print_error(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror or exc))
        return 1
    except (StorageError, ValueError) as exc:
        _print_error(str(exc))
        return 1
    finally:
        workspace.close()
    if args.kind == "agenda":
        print(_("{count} planned calls, visits and meetings written to {path}").format(count=count, path=out))
    else:
        print(_("{count} rows of {kind} written to {path}").format(count=count, kind=args.kind, path=out))
    return 0


def _import_progress(phase: str, done: int, total: int) -> None:
    label = _("checking") if phase == "reading" else _("writing")
    print(f"\r{label} {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _import(args: argparse.Namespace) -> int:
    from kamdesk.domain.tabular import TableError, normalise_encoding
    from kamdesk.services.transfer import TransferService, read_import, refused
    from kamdesk.services.workspace import StorageError, open_workspace

    source = Path(args.input)
    if not source.is_file():
        _print_error(_("the file {path} does not exist.").format(path=source))
        return 1
    if args.encoding:
        try:
            normalise_encoding(args.encoding)
        except ValueError as exc:
            _print_error(str(exc))
            return 2
    progress = _import_progress if sys.stderr.isatty() else None
    # The input is read and checked first: a file that cannot be read creates no team file.
    try:
        read = read_import(args.kind, source, args.encoding, progress=progress)
    except TableError as exc:
        _print_error(_("{path}: {reason} Nothing was imported.").format(path=source.name, reason=exc))
        return 1
    result = refused(read) if args.on_error == "abort" else None
    if result is None:
        try:
            workspace = open_workspace(args.file, args.user or _("command line"), create=True)
        except StorageError as exc:
            _print_error(str(exc))
            return 1
        try:
            result = TransferService(workspace.db).import_file(
                args.kind, read, on_error=args.on_error, progress=progress
            )
        except StorageError as exc:
            _print_error(_("{reason} Nothing was imported.").format(reason=exc))
            return 1
        finally:
            workspace.close()
    print(
        _("Read {count} rows from {path} ({encoding}).").format(
            count=result.read, path=source.name, encoding=result.encoding or "-"
        )
    )
    for note in result.notes:
        print(note)
    if result.unused_columns:
        print(_("Columns not imported: {columns}").format(columns=", ".join(result.unused_columns)))
    if result.aborted:
        _print_error(
            _(
                "import aborted: {count} rows have problems, so nothing was written. Fix them, or run "
                "again with --on-error skip to import the other rows."
            ).format(count=result.problem_rows)
        )
        _print_rows(result.skipped, sys.stderr)
        return 1
    what = _(IMPORTED_WHAT.get(args.kind, args.kind))
    print(_("Imported {count} {kind} into {path}.").format(count=result.imported, kind=what, path=args.file))
    if result.new_accounts:
        print(_("New accounts: {names}").format(names=", ".join(result.new_accounts)))
    if result.new_members:
        print(_("New colleagues: {names}").format(names=", ".join(result.new_members)))
    if result.skipped:
        print(_("Skipped {count} rows:").format(count=len(result.skipped)))
        _print_rows(result.skipped, sys.stdout)
    return 0


def _person(args: argparse.Namespace) -> int:
    """Personal-data rights from the command line: list, export one person's data, erase them, compact the file."""
    from kamdesk.services.workspace import StorageError, open_workspace

    if args.action != "compact" and not args.name and args.id is None:
        _print_error(_("name the person: kamdesk person FILE {action} NAME.").format(action=args.action))
        return 2
    if args.action == "export" and not args.output:
        _print_error(_("export needs -o OUT (OUT.pdf and OUT.json are written)."))
        return 2
    try:
        workspace = open_workspace(
            args.file, args.user or _("command line"), read_only=args.action in ("export", "list")
        )
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    try:
        return _person_action(workspace, args)
    except KeyboardInterrupt:
        _print_error(_("stopped; nothing was changed."))
        return 1
    except BrokenPipeError:
        raise  # the reader of our output went away (`| head`): run() ends quietly
    except OSError as exc:
        _print_error(_("cannot write {path}: {reason}").format(path=args.output, reason=exc.strerror or exc))
        return 1
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    finally:
        workspace.close()


def _person_action(workspace: Any, args: argparse.Namespace) -> int:
    service = workspace.personal_data
    if (args.action == "compact" or (args.action == "erase" and args.yes)) and workspace.path is not None:
        _watch_for_erase(workspace, args)
    if args.action == "compact":
        converted = service.compact()
        print(_("{path} compacted.").format(path=args.file))
        if converted is not None:
            print(
                _(
                    "Its pages grew from {before} to {after} bytes, which makes it faster to share ({seconds:.1f} s)."
                ).format(before=converted.before, after=converted.after, seconds=converted.seconds)
            )
            if converted.backup is not None:
                print(_("The file as it was before is kept as the backup {path}.").format(path=converted.backup))
        return 0
    if args.action == "list":
        return _list_people(_candidates(service, args), args.name or f"id {args.id}")
    picked = _pick_person(service, args)
    if picked is None:
        return 2
    contact_id, name = picked
    if args.action == "export":
        base = Path(args.output)
        base = base.with_suffix("") if base.suffix.lower() in (".pdf", ".json") else base
        json_path, pdf_path = base.with_name(base.name + ".json"), base.with_name(base.name + ".pdf")
        service.export_person(contact_id, json_path, pdf_path)
        print(
            _("Everything held about {name} written to {pdf} and {json}.").format(
                name=name, pdf=pdf_path, json=json_path
            )
        )
        return 0
    return _erase(service, contact_id, args)


def _list_people(found: list[tuple[int, str, str]], name: str) -> int:
    if not found:
        _print_error(_("nobody called {name} is in the file.").format(name=name))
        return 1
    for contact_id, person, account in found:
        print(f"{contact_id}\t{person}\t{account}")
    return 0


def _candidates(service: Any, args: argparse.Namespace) -> list[tuple[int, str, str]]:
    """(id, name, account) of the contacts NAME, --id and --account together describe."""
    found: list[tuple[int, str, str]] = service.find(args.name) if args.name else service.find_by_id(args.id)
    if args.id is not None:
        found = [p for p in found if p[0] == args.id]
    if args.account:
        wanted = args.account.strip().casefold()
        found = [p for p in found if p[2].casefold() == wanted] or [p for p in found if wanted in p[2].casefold()]
    return found


def _pick_person(service: Any, args: argparse.Namespace) -> tuple[int, str] | None:
    """(id, name) of the one contact the arguments name, or None after saying why there is not exactly one.

    NAME (whole, else a unique part) picks the person; --account narrows it to a company, --id to one contact."""
    found = _candidates(service, args)
    if len(found) == 1:
        return found[0][0], found[0][1]
    who = args.name or f"id {args.id}"
    if args.account:
        who = _("{name} at {account}").format(name=who, account=args.account)
    if not found:
        _print_error(_("nobody called {name} is in the file.").format(name=who))
        return None
    _print_error(
        _(
            "{count} people match {name}; pick one with --account COMPANY, or with --id and the id shown "
            "first below (kamdesk person FILE list NAME lists them):"
        ).format(count=len(found), name=who)
    )
    for contact_id, name, account in found[:20]:
        print(f"  {contact_id}\t{name}\t{account}", file=sys.stderr)
    if len(found) > 20:
        print(_("  … and {count} more").format(count=len(found) - 20), file=sys.stderr)
    return None


def _erase(service: Any, contact_id: int, args: argparse.Namespace) -> int:
    """erase: say what would go (and which copies of the file hold the person); with --yes, erase them."""
    from kamdesk.domain.personal_data import CopyChoice

    plan = service.erase_preview(contact_id)
    print(plan.confirmation())
    if not args.yes:
        _print_error(_("nothing was erased; run again with --yes to erase."))
        return 1
    if plan.copies and args.copies is None:
        _print_error(
            _(
                "nothing was erased: copies of the file hold this person too; add --copies erase (erase them "
                "inside the copies too), --copies delete (delete the copies; a new backup is made) or "
                "--copies keep (leave the copies as they are)."
            )
        )
        return 1
    done = service.erase_person(contact_id, CopyChoice(args.copies or "keep"))
    print(_("{name} was erased and the file compacted.").format(name=plan.name))
    summary = done.outcome.summary() if done.outcome is not None else ""
    if summary:
        print(summary)
    return 0


def _watch_for_erase(workspace: Any, args: argparse.Namespace) -> None:
    """Judge who else has the file open by watching their heartbeat counters, and let the erase (or compaction)
    count only those: a colleague whose clock is behind still counts, a crashed one whose clock is ahead not."""
    from kamdesk.services.backups import file_sessions, watch_sessions

    path = workspace.path
    watch = watch_sessions(
        lambda: file_sessions(path), _watch_window(args), exclude=workspace.db.session_id, on_watch=_say_watching
    )
    _say_crashed(watch.crashed, args.file)
    workspace.personal_data.live_others = lambda: watch.others_now(file_sessions(path))


def _clear_crashed(args: argparse.Namespace) -> int:
    """check --clear-crashed: watch the other sessions' heartbeats, then remove (and log) those that stood still."""
    from kamdesk.services.backups import file_sessions, watch_sessions
    from kamdesk.services.workspace import StorageError, open_workspace

    try:
        workspace = open_workspace(args.file, args.user or _("command line"))
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    try:
        if workspace.read_only:
            _print_error(_("crashed sessions cannot be cleared: {reason}.").format(reason=workspace.read_only_reason))
            return 1
        watch = watch_sessions(
            lambda: file_sessions(args.file),
            _watch_window(args),
            exclude=workspace.db.session_id,
            on_watch=_say_watching,
        )
        if watch.live:
            print(_("Still working (not cleared): {who}").format(who=_who(watch.live)))
        if not watch.crashed:
            print(_("No crashed sessions to clear."))
            return 0
        for entry in watch.crashed:
            print(
                _("Clearing {name} on {host} (opened {since} UTC, last heartbeat {beat} UTC by their clock)").format(
                    name=entry.user_name,
                    host=entry.host,
                    since=entry.opened_at.strftime("%Y-%m-%d %H:%M"),
                    beat=entry.heartbeat_at.strftime("%Y-%m-%d %H:%M"),
                )
            )
        cleared = workspace.backups.clear_sessions(watch.crashed)
        print(_("Cleared {count} crashed sessions; the change log records it.").format(count=cleared))
        return 0
    except KeyboardInterrupt:
        _print_error(_("stopped; nothing was changed."))
        return 1
    except StorageError as exc:
        _print_error(str(exc))
        return 1
    finally:
        workspace.close()


def _print_rows(rows: list[tuple[int, str]], stream: TextIO) -> None:
    for number, reason in rows[:LISTED_ROWS]:
        print(_("  row {row}: {reason}").format(row=number, reason=reason), file=stream)
    if len(rows) > LISTED_ROWS:
        print(_("  … and {count} more rows").format(count=len(rows) - LISTED_ROWS), file=stream)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kamdesk",
        description=_("Key-account management for small sales teams. Without a command, opens the window."),
    )
    parser.add_argument("--version", action="version", version=f"kamdesk {__version__}")
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help=_("write a realistic demo database"))
    demo.add_argument("out", metavar="OUT.kamdb")
    demo.add_argument("--size", choices=("small", "large"), default="small")
    demo.set_defaults(handler=_demo)
    check = sub.add_parser("check", help=_("check a database file's health (or a server's: give its URL)"))
    check.add_argument("file", metavar="FILE_OR_URL")
    check.add_argument(
        "--clear-crashed",
        action="store_true",
        help=_(
            "watch the other open sessions' heartbeats, then remove those of a kamdesk that stopped "
            "(each is shown first and recorded in the change log)"
        ),
    )
    check.add_argument("--user", help=_("the name recorded in the change log"))
    _add_watch(check)
    check.set_defaults(handler=_check)
    backup = sub.add_parser("backup", help=_("make a verified backup of a team file"))
    backup.add_argument("file", metavar="FILE")
    backup.add_argument("--to", metavar="DIR", help=_("the folder for the backup (default: NAME.backups beside FILE)"))
    backup.set_defaults(handler=_backup)
    restore = sub.add_parser("restore", help=_("restore a backup over a team file (nobody else may have it open)"))
    restore.add_argument("backup", metavar="BACKUP")
    restore.add_argument("file", metavar="FILE")
    _add_watch(restore)
    restore.set_defaults(handler=_restore)
    printing = sub.add_parser("print", help=_("print a report to PDF"))
    printing.add_argument("file", metavar="FILE")
    printing.add_argument("kind", choices=PRINT_KINDS + PLANNED_PRINT_KINDS)
    printing.add_argument("--account", help=_("the account's name (or a unique part of it)"))
    printing.add_argument("--period", help=_("the plan's period, e.g. FY2027 (default: the latest plan)"))
    printing.add_argument("-o", "--output", metavar="OUT.pdf")
    printing.add_argument("--from", dest="date_from", metavar="DATE", help=_("first day of a schedule (2027-09-01)"))
    printing.add_argument("--to", dest="date_to", metavar="DATE", help=_("last day of a schedule (2027-09-30)"))
    printing.add_argument("--group-by", choices=("account", "owner"), help=_("how the gift schedule is grouped"))
    printing.set_defaults(handler=_print)
    importing = sub.add_parser(
        "import", help=_("import accounts, contacts, team, activities, gifts or the gift catalogue from a file")
    )
    importing.add_argument("file", metavar="FILE", help=_("the team database (created when it does not exist)"))
    importing.add_argument("kind", choices=IMPORT_KINDS)
    importing.add_argument("input", metavar="INPUT", help=_("a CSV, XLSX or (contacts) vCard file"))
    importing.add_argument(
        "--on-error",
        choices=("skip", "abort"),
        default="skip",
        help=_("skip rows with problems (default), or write nothing when any row has one"),
    )
    importing.add_argument("--encoding", help=_("the CSV file's encoding, e.g. gbk or utf-8 (detected by default)"))
    importing.add_argument("--user", help=_("the name recorded as the author of the imported records"))
    importing.set_defaults(handler=_import)
    exporting = sub.add_parser("export", help=_("export data to a file"))
    exporting.add_argument("file", metavar="FILE")
    exporting.add_argument("kind", choices=tuple(EXPORT_FORMATS))
    exporting.add_argument("--format", type=str.lower, choices=("csv", "xlsx", "vcf", "ics"))
    exporting.add_argument("-o", "--output", metavar="OUT")
    exporting.add_argument("--timezone", default="Asia/Shanghai", help=_("time zone of the events (IANA name)"))
    exporting.set_defaults(handler=_export)
    person = sub.add_parser("person", help=_("export everything held about one person, or erase them"))
    person.add_argument("file", metavar="FILE")
    person.add_argument("action", choices=("list", "export", "erase", "compact"))
    person.add_argument("name", metavar="NAME", nargs="?", help=_("the contact's name (or a unique part of it)"))
    person.add_argument(
        "--account", metavar="COMPANY", help=_("pick the one at this company when several share the name")
    )
    person.add_argument("--id", type=int, metavar="ID", help=_("pick the contact with this id ('list NAME' shows it)"))
    person.add_argument("-o", "--output", metavar="OUT", help=_("export: writes OUT.pdf and OUT.json"))
    person.add_argument("--yes", action="store_true", help=_("erase: do it (without, only say what would go)"))
    person.add_argument(
        "--copies",
        choices=("erase", "delete", "keep"),
        help=_(
            "erase: what to do with the copies kamdesk made of the file that hold the person (backups, "
            "pre-upgrade and unfinished copies): erase them there too, delete the copies, or keep them"
        ),
    )
    person.add_argument("--user", help=_("the name recorded in the change log"))
    _add_watch(person)
    person.set_defaults(handler=_person)
    compact = sub.add_parser(
        "compact",
        help=_(
            "compact a team file and give it the larger pages that make it faster to share (nobody else may have it open)"
        ),
    )
    compact.add_argument("file", metavar="FILE")
    compact.add_argument("--user", help=_("the name recorded in the change log"))
    _add_watch(compact)
    compact.set_defaults(
        handler=_person, action="compact", name=None, id=None, output=None, yes=False, account=None, copies=None
    )
    from kamdesk import cli_advise, cli_propose

    cli_propose.add_parser(sub)
    cli_advise.add_parser(sub)
    return parser


def _add_watch(command: argparse.ArgumentParser) -> None:
    from kamdesk.domain.presence import PRESENCE_STALE_AFTER

    seconds = int(PRESENCE_STALE_AFTER.total_seconds())
    command.add_argument(
        "--watch",
        type=float,
        default=seconds,
        metavar="SECONDS",
        help=_(
            "how long to watch the heartbeats of others listed as having the file open before "
            "judging them gone (default {seconds}; an open window beats every minute)"
        ).format(seconds=seconds),
    )


def build_gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kamdesk", description=_("Open the kamdesk window."))
    parser.add_argument("--version", action="version", version=f"kamdesk {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_("build the main window, show every tab, close and exit (0 when all is well)"),
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help=_("the team database file to open"))
    return parser


def run(argv: list[str]) -> int:
    set_language(detect_language())
    if argv and argv[0] in COMMANDS:
        args = build_parser().parse_args(argv)
        try:
            return int(args.handler(args))
        except BrokenPipeError:
            # `kamdesk … | head`: the reader has all it wanted. Send what Python still wants to flush
            # to nowhere, so no "Broken pipe" message follows.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
    if argv and argv[0] in ("-h", "--help"):
        build_parser().print_help()
        print()
        build_gui_parser().print_help()
        return 0
    if argv and argv[0] in PLANNED_COMMANDS:
        _print_error(_("the command '{command}' is not available in this version of kamdesk.").format(command=argv[0]))
        return 2
    # Unknown options (e.g. Qt's own, or -psn_ from older macOS launchers) are left to Qt.
    gui_args, unknown = build_gui_parser().parse_known_args(argv)
    extra = [a for a in unknown if not a.startswith("-")]
    if extra:
        _print_error(
            _("unexpected arguments: {args}. Give one team file to open, or a command: {commands}.").format(
                args=" ".join(extra), commands=", ".join(COMMANDS)
            )
        )
        return 2
    from kamdesk.app import main as gui_main

    return gui_main(file=gui_args.file, smoke_test=gui_args.smoke_test)
