"""Speed where teams keep the file (issue 24): kamdesk on a simulated office share and VPN.

    python tests/bench/bench_share.py [--file LARGE.kamdb] [--settings lan,vpn] [--only poll,save,backup,cat,check]
                                      [--json OUT.json]

It mounts the team's instrument, slowshare (a FUSE passthrough that delays every request like a file
server and counts them; `../shared/tools/slowshare/`, or KAMDESK_SLOWSHARE=/path/to/slowshare.py), with
the page cache off (several people writing), copies the file behind it and measures:

- cat: reading the whole file through the mount, the floor for anything that reads it all;
- poll: the requests of one idle change poll (the window polls every 2 s);
- save: saving an account through kamdesk, against plain sqlite3's one-row update with its change-log
  insert on the same mount;
- backup: `kamdesk backup` while a colleague saves every half second: how long the backup takes, how
  long the colleague's saves wait, and how many fail;
- gui: the main window on the mounted file, driven through every tab, a contact search typed key by key,
  account list pages, an account in its view and the gift pages, while a 10 ms timer records how long the
  event loop went without turning: the longest stall per step (p95 over the steps, and the longest);
- check: `kamdesk check` (a full integrity check; LAN only unless --only names it, it is slow);
- convert: the one-time conversion of the file to 64 KB pages (storage/page_size.py: on a share the fast path, a
  verified backup converted locally and written over the file in place; elsewhere a VACUUM) as the window makes
  it, its time and requests (only with --only, and last: the file is converted for the measures after it).

Like every benchmark it is not part of the test run and does not pass or fail: it prints a table and
writes JSON. It needs root for FUSE: it installs fuse3 with apt-get and mfusepy into a virtual
environment under ~/.cache/kamdesk-bench when they are missing, as `.ci/postgres` installs PostgreSQL.
Without --file the large demo is built once into ~/.cache/kamdesk-bench/large.kamdb and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CACHE = Path.home() / ".cache" / "kamdesk-bench"
SETTINGS = {"lan": (1.0, 100.0), "vpn": (10.0, 20.0)}  # latency ms, bandwidth MB/s
MEASURES = ("cat", "poll", "save", "dashboard", "search", "gui", "backup", "check")
#: Measures run only when --only names them.
EXTRA_MEASURES = ("convert", "gui_backed_up")


def slowshare_script() -> Path:
    candidates = [
        os.environ.get("KAMDESK_SLOWSHARE", ""),
        ROOT.parent / "shared" / "tools" / "slowshare" / "slowshare.py",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    sys.exit("slowshare.py not found: set KAMDESK_SLOWSHARE to its path")


def fuse_python() -> Path:
    """A Python with mfusepy, and fusermount3 on the PATH (installed when missing)."""
    if not shutil.which("fusermount3"):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            sys.exit("fuse3 is missing and cannot be installed here (needs root with apt-get)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "fuse3"], check=False, stdout=subprocess.DEVNULL)
        if not shutil.which("fusermount3"):
            subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["apt-get", "install", "-y", "-qq", "fuse3"], check=True, stdout=subprocess.DEVNULL)
    venv = CACHE / "slowshare-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "mfusepy"], check=True)
    return python


class Share:
    """One mount of slowshare over a backing folder, with its counters bracketing each operation."""

    def __init__(self, backing: Path, mount: Path, latency_ms: float, bandwidth: float) -> None:
        self.stats = backing.parent / "stats.json"
        self.backing = backing
        self.mount = mount
        command = [str(fuse_python()), str(slowshare_script()), str(backing), str(mount)]
        command += ["--latency-ms", str(latency_ms), "--bandwidth-MBps", str(bandwidth), "--cache", "none"]
        command += ["--subtype", "sshfs", "--stats", str(self.stats)]
        self.process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not os.path.ismount(mount):
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit("slowshare did not mount")
            time.sleep(0.1)

    def reset(self) -> None:
        self.process.send_signal(signal.SIGUSR2)
        time.sleep(0.2)

    def requests(self) -> dict[str, Any]:
        """The counts since the last reset: total requests and the kinds that made them."""
        if self.stats.exists():
            self.stats.unlink()
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while not self.stats.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        snap = json.loads(self.stats.read_text(encoding="utf-8"))
        kinds = {k: v["count"] for k, v in snap["kinds"].items()}
        return {"requests": snap["total"]["count"], "kinds": kinds}

    def close(self) -> None:
        subprocess.run(["fusermount3", "-u", str(self.mount)], check=False)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


#: A command still running after this long is stopped and reported as not finished (seconds).
COMMAND_TIMEOUT_S = 300


def kamdesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "kamdesk", *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=COMMAND_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"not finished after {COMMAND_TIMEOUT_S} s")


def measure_cat(share: Share, path: Path) -> dict[str, Any]:
    share.reset()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        while handle.read(1 << 20):
            pass
    return {"seconds": time.perf_counter() - started, **share.requests()}


def measure_poll(share: Share, path: Path) -> dict[str, Any]:
    from kamdesk.services.changes import ChangeWatcher
    from kamdesk.storage.opening import open_database

    db = open_database(path, "bench")
    watcher = ChangeWatcher(db)
    watcher.poll()
    polls = 10
    share.reset()
    started = time.perf_counter()
    for _ in range(polls):
        watcher.poll()
    seconds = time.perf_counter() - started
    counts = share.requests()
    watcher.close()
    db.dispose()
    return {"ms_per_poll": seconds / polls * 1000, "requests_per_poll": counts["requests"] / polls, **counts}


def measure_save(share: Share, path: Path) -> dict[str, Any]:
    from kamdesk.services.workspace import open_workspace

    workspace = open_workspace(path, "bench")
    account_id = first_account(path)
    times, counts = [], []
    for number in range(5):
        detail = workspace.accounts.get(account_id)
        detail.notes = f"bench save {number}"
        share.reset()
        started = time.perf_counter()
        workspace.accounts.save(detail)
        times.append(time.perf_counter() - started)
        counts.append(share.requests()["requests"])
    workspace.close()
    plain_times, plain_counts = [], []
    conn = sqlite3.connect(path, timeout=20, isolation_level=None)
    for number in range(5):
        share.reset()
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE accounts SET notes = ?, version = version + 1 WHERE id = ?", (f"plain {number}", account_id)
        )
        conn.execute(
            "INSERT INTO change_log (at, by, host, table_name, row_id, action, changes_json) "
            "VALUES (datetime('now'), 'bench', 'bench', 'accounts', ?, 'update', '{}')",
            (str(account_id),),
        )
        conn.execute("COMMIT")
        plain_times.append(time.perf_counter() - started)
        plain_counts.append(share.requests()["requests"])
    conn.close()
    save, plain = statistics.median(times), statistics.median(plain_times)
    return {
        "save_ms": save * 1000,
        "save_requests": statistics.median(counts),
        "plain_ms": plain * 1000,
        "plain_requests": statistics.median(plain_counts),
        "ratio": save / plain if plain else None,
    }


def first_account(path: Path) -> int:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=20)
    try:
        return int(conn.execute("SELECT id FROM accounts ORDER BY value_cents DESC LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def measure_backup(share: Share, path: Path) -> dict[str, Any]:
    """`kamdesk backup` while a colleague saves every half second through kamdesk."""
    from kamdesk.services.workspace import open_workspace

    workspace = open_workspace(path, "colleague")
    account_id = first_account(path)
    waits: list[float] = []
    failures: list[str] = []
    stop = threading.Event()

    def colleague() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            started = time.perf_counter()
            try:
                detail = workspace.accounts.get(account_id)
                detail.notes = f"colleague {number}"
                workspace.accounts.save(detail)
            except Exception as exc:  # noqa: BLE001 - a failed save is what is measured
                failures.append(f"{type(exc).__name__}: {exc}"[:160])
            waits.append(time.perf_counter() - started)
            stop.wait(0.5)

    thread = threading.Thread(target=colleague, daemon=True)
    backups = Path(tempfile.mkdtemp(prefix="bench-backups-", dir=path.parent))
    share.reset()
    started = time.perf_counter()
    thread.start()
    done = kamdesk("backup", str(path), "--to", str(backups))
    seconds = time.perf_counter() - started
    stop.set()
    thread.join(timeout=120)
    counts = share.requests()
    workspace.close()
    shutil.rmtree(backups, ignore_errors=True)
    return {
        "seconds": seconds,
        "ok": done.returncode == 0,
        "error": done.stderr.strip()[-200:] if done.returncode else "",
        "colleague_saves": len(waits),
        "colleague_failures": len(failures),
        "colleague_longest_wait_s": max(waits, default=0.0),
        "failure_examples": failures[:2],
        **counts,
    }


def measure_dashboard(share: Share, path: Path) -> dict[str, Any]:
    """The dashboard's reads as the tab makes them at start and after a colleague's save."""
    from kamdesk.services.workspace import open_workspace

    workspace = open_workspace(path, "bench")
    share.reset()
    started = time.perf_counter()
    workspace.summary()
    workspace.accounts.dashboard()
    workspace.contacts.target_heat()
    workspace.contacts.largest_gaps()
    zipper = getattr(workspace, "zipper", None)
    if zipper is not None:
        zipper.worst_accounts(10)
    seconds = time.perf_counter() - started
    counts = share.requests()
    workspace.close()
    return {"seconds": seconds, **counts, **measure_dashboard_tab(share, path)}


def loop_like_app() -> None:
    """Before the QApplication is made: the event loop the app runs (Qt's own on Linux), where this kamdesk
    chooses one."""
    try:
        from kamdesk.collector import loop_that_idles
    except ImportError:
        return
    loop_that_idles()


def collect_like_app(app: Any) -> None:
    """Collections on the GUI thread only, when and as the app runs them, where this kamdesk does that."""
    try:
        from kamdesk.app import _collect_on_gui_thread
    except ImportError:
        return
    _collect_on_gui_thread(app)


def keep_start_up_like_app() -> None:
    """Once the window is shown: its objects out of later full collections, as the app does, where it does."""
    try:
        from kamdesk.collector import keep_start_up
    except ImportError:
        return
    keep_start_up()


def app_like() -> None:
    """The process as the app runs it (its garbage-collection thresholds, its switch interval, pinyin loaded),
    where this kamdesk has them."""
    try:
        from kamdesk.collector import collect_rarely
    except ImportError:
        return
    collect_rarely()
    try:
        from kamdesk.collector import switch_often
        from kamdesk.domain.names import preload
    except ImportError:
        return
    switch_often()
    preload()  # the app's opener loads pinyin's dictionaries before the window fills


def measure_dashboard_tab(share: Share, path: Path) -> dict[str, Any]:
    """The Dashboard tab itself, twice: a first start (nothing kept on this computer) and the next start, whose
    kept figures are on screen before the file's own arrive. Times from the tab's construction; the longest
    stall of the event loop (10 ms heartbeat) while it reads."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    config = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    os.environ["KAMDESK_CONFIG_DIR"] = str(config)  # the kept figures go to a fresh settings folder
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kamdesk.services.workspace import open_workspace

    try:
        from kamdesk.ui.tabs.dashboard_tab import DashboardTab
    except ImportError:
        return {}
    if not hasattr(DashboardTab, "part_shown"):
        return {}  # a kamdesk from before the tab kept its figures
    loop_like_app()
    app = QApplication.instance() or QApplication([])
    app_like()
    results: dict[str, Any] = {}
    for start in ("first", "next"):
        workspace = open_workspace(path, "bench")
        clock = QElapsedTimer()
        stall, last, shown = [0], [0], {}
        beat = QTimer()
        beat.setInterval(10)

        def tick(clock: QElapsedTimer = clock, stall: list[int] = stall, last: list[int] = last) -> None:
            stall[0] = max(stall[0], clock.elapsed() - last[0])
            last[0] = clock.elapsed()

        beat.timeout.connect(tick)
        loop = QEventLoop()
        share.reset()
        clock.start()
        beat.start()
        tab = DashboardTab(workspace, background=True)
        tab.part_shown.connect(lambda part, shown=shown, clock=clock: shown.setdefault(part, clock.elapsed()))
        tab.refreshed.connect(loop.quit)
        last[0] = clock.elapsed()
        QTimer.singleShot(COMMAND_TIMEOUT_S * 1000, loop.quit)
        loop.exec()
        fresh_ms = clock.elapsed()
        beat.stop()
        counts = share.requests()
        if start == "first":
            kept = QEventLoop()
            tab.figures_kept.connect(kept.quit)
            QTimer.singleShot(10_000, kept.quit)
            kept.exec()
        results[f"tab_{start}"] = {
            "counts_on_screen_ms": shown.get("summary"),
            "kept_on_screen_ms": shown.get("kept"),
            "all_figures_ms": fresh_ms,
            "longest_stall_ms": stall[0],
            "requests": counts["requests"],
        }
        tab.deleteLater()
        app.processEvents()
        workspace.close()
    shutil.rmtree(config, ignore_errors=True)
    first, after = results["tab_first"], results["tab_next"]
    return {
        "tab_first_counts_ms": first["counts_on_screen_ms"],
        "tab_first_all_ms": first["all_figures_ms"],
        "tab_next_kept_ms": after["kept_on_screen_ms"],
        "tab_next_all_ms": after["all_figures_ms"],
        "tab_longest_stall_ms": max(first["longest_stall_ms"], after["longest_stall_ms"]),
        **results,
    }


def measure_search(share: Share, path: Path) -> dict[str, Any]:
    """Typing a name into the contact search: the first page and count for each keystroke."""
    from kamdesk.domain.contacts import ContactQuery
    from kamdesk.services.workspace import open_workspace

    workspace = open_workspace(path, "bench")
    prepared: dict[str, Any] = {}
    prepare = getattr(workspace.contacts, "prepare_search", None)
    if prepare is not None:  # the search lines read once, in the background, when the Contacts tab is built
        share.reset()
        started = time.perf_counter()
        prepare()
        prepared = {
            "lines_read_ms": (time.perf_counter() - started) * 1000,
            "lines_requests": share.requests()["requests"],
        }
    times, counts = [], []
    for text in ("w", "wa", "wan", "wang", "王", "王建", "zhang", "138"):
        share.reset()
        started = time.perf_counter()
        workspace.contacts.first_page(ContactQuery(search=text), 50)
        times.append(time.perf_counter() - started)
        counts.append(share.requests()["requests"])
    workspace.close()
    times.sort()
    return {
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] * 1000,
        "median_ms": statistics.median(times) * 1000,
        "requests_per_keystroke": statistics.median(counts),
        **prepared,
    }


#: How long the gui measure lets each step's background reads land before the next (seconds).
GUI_DWELL_S = {"lan": 1.5, "vpn": 4.0}


def measure_gui(share: Share, path: Path) -> dict[str, Any]:
    """The window on the share, driven as a person would, with a 10 ms heartbeat on the GUI thread.

    Each step's figure is the longest gap between heartbeats while it ran (a freeze the person feels);
    the window's construction is timed separately (nothing turns while it is built)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kamdesk.services.workspace import open_workspace
    from kamdesk.ui.app_settings import AppSettings
    from kamdesk.ui.main_window import MainWindow

    loop_like_app()
    app = QApplication.instance() or QApplication([])
    app_like()
    collect_like_app(app)
    from kamdesk.ui import prompts

    prompts.set_prompts(_Answering())
    dwell = GUI_DWELL_S["vpn" if "vpn" in str(path) else "lan"]
    workspace = open_workspace(path, "bench")
    account_id = first_account(path)
    contact_id = first_contact(path, account_id)
    config = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    share.reset()
    started = time.perf_counter()
    window = MainWindow(workspace, AppSettings(config / "k.ini"), lambda p, c: open_workspace(p, "bench", create=c))
    window.resize(1280, 800)
    window.show()
    build_ms = (time.perf_counter() - started) * 1000
    keep_start_up_like_app()
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    stalls: dict[str, float] = {}
    step = [""]
    sampler = StallSampler(step)

    def tick() -> None:
        now = clock.elapsed()
        stalls[step[0]] = max(stalls.get(step[0], 0.0), float(now - last[0]))
        last[0] = now
        sampler.beat()

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    ticker.start()
    actions: list[tuple[str, Any]] = [
        (f"tab {window.tabs.tabText(i).replace('&&', '&')}", lambda i=i: window.tabs.setCurrentIndex(i))
        for i in range(window.tabs.count())
    ]

    def contacts_search() -> Any:
        return window.contacts_tab.contacts_page.search

    def typed(text: str) -> Any:
        return lambda: contacts_search().setText(text)

    actions.append(("tab Contacts", lambda: window.tabs.setCurrentWidget(window.contacts_tab)))
    for word in ("wang", "王建"):
        for end in range(1, len(word) + 1):
            actions.append((f"keystroke {word[:end]}", typed(word[:end])))
    actions.append(("clear search", typed("")))
    actions.append(("tab Accounts", lambda: window.tabs.setCurrentWidget(window.accounts_tab)))
    for number in range(3):
        actions.append((f"account list page {number + 2}", lambda: window.accounts_tab.table.scrollToBottom()))
    actions.append(("account search zg", lambda: window.accounts_tab.search.setText("zg")))
    actions.append(("open account view", lambda: window.open_account(account_id)))
    # Editing as people do: the account editor and a contact card opened, changed and saved, a follow-up done.
    actions.append(("account editor opens", lambda: window.accounts_tab.open_account(account_id)))
    actions.append(("account saved", lambda: _edit_and_save("notes_edit")))
    actions.append(("contact card opens", lambda: window.contacts_tab.contacts_page.open_contact(contact_id)))
    actions.append(("contact saved", lambda: _edit_and_save("notes_edit")))
    actions.append(("tab Account Plans", lambda: window.tabs.setCurrentWidget(window.plans_tab)))
    actions.append(("tab Follow-ups", lambda: window.tabs.setCurrentWidget(window.followups_tab)))
    actions.append(("agenda 30 days", lambda: window.followups_tab.horizon_combo.setCurrentIndex(2)))
    actions.append(("follow-up done", lambda: _first_follow_up_done(window.followups_tab)))
    actions.append(("tab Gifts", lambda: window.tabs.setCurrentWidget(window.gifts_tab)))
    for page in range(1, 5):
        actions.append((f"gifts page {page + 1}", lambda page=page: window.gifts_tab.tabs.setCurrentIndex(page)))
    actions.append(("F5 refresh", window.refresh))
    loop = QEventLoop()

    ready_ms: dict[str, float] = {}

    def run(index: int = 0) -> None:
        if index >= len(actions):
            step[0] = ""
            left = QApplication.activeModalWidget()
            if left is not None:  # an editor that never closed: its own loop would hold this one open
                print(f"  (a dialog was left open: {left.windowTitle()})", file=sys.stderr)
                left.close()
            QTimer.singleShot(200, loop.quit)
            return
        step[0], action = actions[index]
        last[0] = clock.elapsed()
        started_step = clock.elapsed()
        action()
        # Keystrokes come at typing speed; the other steps let their background reads land first. An editor's
        # steps wait until it has opened, or closed after its save (at most a minute), before that pause.
        pause = 0.15 if step[0].startswith("keystroke") else dwell
        ready = READY.get(step[0].split(" ")[-1])

        def next_when_ready(waited: int = 0) -> None:
            if ready is not None and not ready() and waited < 60_000:
                QTimer.singleShot(50, lambda: next_when_ready(waited + 50))
                return
            if ready is not None:
                ready_ms[step[0]] = float(clock.elapsed() - started_step)
            QTimer.singleShot(int(pause * 1000), lambda: run(index + 1))

        next_when_ready()

    QTimer.singleShot(100, run)
    sampler.start()
    loop.exec()
    sampler.stop()
    ticker.stop()
    counts = share.requests()
    print(f"  editor steps (ms until opened / closed): {ready_ms}", file=sys.stderr)
    closing = time.perf_counter()
    slow_close = threading.Timer(1.0, _where_threads_are, args=("the window is still closing after 1 s",))
    slow_close.daemon = True
    slow_close.start()
    window.close()
    slow_close.cancel()
    close_ms = (time.perf_counter() - closing) * 1000
    app.processEvents()
    # The app's process ends with its window. Here the next walk follows in the same process, and a closed
    # window is kept alive by its Qt connections to its own methods: freed now, it does not make the next
    # walk's collections walk its 40,000 objects (three windows stayed alive over three walks before this).
    import gc

    import shiboken6

    shiboken6.delete(window)
    gc.collect()
    shutil.rmtree(config, ignore_errors=True)
    stalls.pop("", None)
    ordered = sorted(stalls.values())
    worst = sorted(stalls.items(), key=lambda kv: -kv[1])[:5]
    return {
        "window_build_ms": build_ms,
        "stall_p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0,
        "stall_longest_ms": ordered[-1] if ordered else 0.0,
        "worst_steps": [f"{name} {ms:.0f} ms" for name, ms in worst],
        "steps": stalls,
        "stall_stacks": sampler.report(),
        "ready_ms": ready_ms,
        "close_ms": close_ms,
        **counts,
    }


def measure_gui_backed_up(share: Share, path: Path) -> dict[str, Any]:
    """The same walk with the day's backup already made (behind the share, costing it nothing), so that no
    backup runs beside the first steps: the walk's figures without that copy and its check."""
    done = kamdesk("backup", str(share.backing / path.name))
    if done.returncode:
        return {"error": done.stderr.strip()[-300:]}
    return measure_gui(share, path)


def first_contact(path: Path, account_id: int) -> int:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=20)
    try:
        row = conn.execute("SELECT id FROM contacts WHERE account_id = ? ORDER BY id LIMIT 1", (account_id,)).fetchone()
        return int(row[0])
    finally:
        conn.close()


def _where_threads_are(why: str) -> None:
    """Every other thread's innermost kamdesk and SQLAlchemy frames, printed (what a slow close waits for)."""
    import traceback

    print(f"  {why}; threads:", file=sys.stderr)
    for ident, frame in sys._current_frames().items():
        if ident == threading.get_ident():
            continue
        stack = traceback.StackSummary.extract(traceback.walk_stack(frame), lookup_lines=False)
        stack.reverse()
        mine = [f for f in stack if "kamdesk" in f.filename or "sqlalchemy" in f.filename][-4:]
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(mine))
        print(f"    {where} | {Path(stack[-1].filename).name}:{stack[-1].lineno}:{stack[-1].name}", file=sys.stderr)


def _editor_open() -> bool:
    from PySide6.QtWidgets import QApplication

    return hasattr(QApplication.activeModalWidget(), "save")


def _no_editor_open() -> bool:
    from PySide6.QtWidgets import QApplication

    return QApplication.activeModalWidget() is None


#: What an editor's step waits for, by the step name's last word, before its pause.
READY = {"opens": _editor_open, "saved": _no_editor_open}


class _Answering:
    """Prompts that answer at once (yes, the first choice, keep mine, a line of text), so a step never waits on
    a question box. (Until the text was answered, "follow-up done" was cancelled at its question: it read the
    item and wrote nothing.)"""

    def __getattr__(self, name: str) -> Any:
        answers = {"ask_yes_no": True, "confirm_destructive": True, "choose": 0, "show_modal": 0, "ask_text": "bench"}
        return lambda *args, **kwargs: answers.get(name)


def _edit_and_save(field: str) -> None:
    """The open editor (a modal dialog) with a line added to `field`, saved as Ctrl+S would."""
    from PySide6.QtWidgets import QApplication

    dialog = QApplication.activeModalWidget()
    if dialog is None or not hasattr(dialog, "save"):
        print(f"  (no editor open to save: {dialog!r})", file=sys.stderr)
        return
    edit = getattr(dialog, field)
    edit.setPlainText(edit.toPlainText() + "\nbench " + time.strftime("%H:%M:%S"))
    dialog.save()


def _first_follow_up_done(tab: Any) -> None:
    items = tab._items()
    if not items:
        print("  (no follow-up on the agenda to mark done)", file=sys.stderr)
        return
    tab.tree.setCurrentItem(items[0][1])
    tab.mark_done()


class StallSampler:
    """A watchdog thread that, while the GUI thread has not turned for STALL_SAMPLE_MS, records where it is.

    The heartbeat's `beat()` says the event loop turned; a stall's samples name the kamdesk (or library) frames
    the GUI thread was in, so a slow step says what it was doing."""

    STALL_SAMPLE_MS = 60

    def __init__(self, step: list[str]) -> None:
        self.step = step
        self.last = time.monotonic()
        self.samples: dict[str, dict[str, int]] = {}
        self.main = threading.main_thread().ident
        self.running = False

    def beat(self) -> None:
        self.last = time.monotonic()

    def start(self) -> None:
        self.running = True
        threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self.running = False

    def _watch(self) -> None:
        import traceback

        while self.running:
            time.sleep(0.01)
            if (time.monotonic() - self.last) * 1000 < self.STALL_SAMPLE_MS:
                continue
            frames = sys._current_frames()
            per_step = self.samples.setdefault(self.step[0], {})
            for ident, frame in frames.items():
                if ident == threading.get_ident():
                    continue
                # No source lines: reading them would hold the interpreter and make the stall it measures.
                stack = traceback.StackSummary.extract(traceback.walk_stack(frame), lookup_lines=False)
                stack.reverse()
                mine = [f for f in stack if "kamdesk" in f.filename] or stack
                where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(mine[-3:]))
                inner = stack[-1]
                who = "GUI" if ident == self.main else "worker"
                key = f"{who} {Path(inner.filename).name}:{inner.lineno}:{inner.name} | {where}"
                per_step[key] = per_step.get(key, 0) + 1

    def report(self) -> dict[str, list[str]]:
        """Per step, its stall samples (10 ms each) by where the GUI thread and each busy worker were, most first
        (a worker holding the interpreter in one long call shows here as the GUI thread waits)."""
        return {
            step: [f"{n * 10} ms  {key}" for key, n in sorted(found.items(), key=lambda kv: -kv[1])[:8]]
            for step, found in self.samples.items()
        }


def measure_check(share: Share, path: Path) -> dict[str, Any]:
    share.reset()
    started = time.perf_counter()
    done = kamdesk("check", str(path))
    return {"seconds": time.perf_counter() - started, "ok": done.returncode == 0, **share.requests()}


def measure_convert(share: Share, path: Path) -> dict[str, Any]:
    """The page-size conversion the window makes once, by itself, after opening a file with smaller pages."""
    from kamdesk.services.workspace import open_workspace

    workspace = open_workspace(path, "bench")
    before = workspace.personal_data.page_size()
    share.reset()
    started = time.perf_counter()
    done = workspace.personal_data.make_pages_larger()
    seconds = time.perf_counter() - started
    counts = share.requests()
    workspace.close()
    return {
        "seconds": seconds,
        "page_size_before": before,
        "page_size_after": done.after if done is not None else before,
        "vacuum_seconds": done.seconds if done is not None else None,
        # The fast path (a backup, converted locally, written over the file) names the backup it made first.
        "fast_path": done is not None and done.backup is not None,
        "held_exclusively_seconds": done.held_seconds if done is not None else None,
        "mb_after": round(path.stat().st_size / 1e6, 1),
        **counts,
    }


def large_demo() -> Path:
    path = CACHE / "large.kamdb"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        done = kamdesk("demo", str(path), "--size", "large")
        if done.returncode:
            sys.exit(done.stderr)
    return path


def run_setting(name: str, source: Path, measures: list[str]) -> dict[str, Any]:
    latency, bandwidth = SETTINGS[name]
    work = Path(tempfile.mkdtemp(prefix=f"bench-share-{name}-"))
    backing, mount = work / "backing", work / "mnt"
    backing.mkdir()
    mount.mkdir()
    shutil.copyfile(source, backing / source.name)
    share = Share(backing, mount, latency, bandwidth)
    results: dict[str, Any] = {}
    try:
        path = mount / source.name
        for measure in measures:
            print(f"[{name}] {measure} …", file=sys.stderr, flush=True)
            results[measure] = globals()[f"measure_{measure}"](share, path)
    finally:
        share.close()
        shutil.rmtree(work, ignore_errors=True)
    return results


def table(results: dict[str, dict[str, Any]]) -> str:
    rows = [
        ("read the whole file (cat), s", "cat", "seconds"),
        ("  requests", "cat", "requests"),
        ("idle change poll, requests", "poll", "requests_per_poll"),
        ("idle change poll, ms", "poll", "ms_per_poll"),
        ("save an account, ms", "save", "save_ms"),
        ("  requests", "save", "save_requests"),
        ("plain sqlite3 update + log, ms", "save", "plain_ms"),
        ("  requests", "save", "plain_requests"),
        ("save ÷ plain", "save", "ratio"),
        ("dashboard figures, s", "dashboard", "seconds"),
        ("  requests", "dashboard", "requests"),
        ("dashboard tab: counts shown, ms", "dashboard", "tab_first_counts_ms"),
        ("  all figures shown, ms", "dashboard", "tab_first_all_ms"),
        ("  next start: kept shown, ms", "dashboard", "tab_next_kept_ms"),
        ("  next start: all shown, ms", "dashboard", "tab_next_all_ms"),
        ("  longest GUI stall, ms", "dashboard", "tab_longest_stall_ms"),
        ("contact search keystroke p95, ms", "search", "p95_ms"),
        ("  requests (median)", "search", "requests_per_keystroke"),
        ("  search lines read once, ms", "search", "lines_read_ms"),
        ("  requests", "search", "lines_requests"),
        ("window built (GUI blocked), ms", "gui", "window_build_ms"),
        ("GUI stall per step p95, ms", "gui", "stall_p95_ms"),
        ("GUI stall longest, ms", "gui", "stall_longest_ms"),
        ("  window closed in, ms", "gui", "close_ms"),
        ("  requests (whole drive)", "gui", "requests"),
        ("day's backup made: stall p95, ms", "gui_backed_up", "stall_p95_ms"),
        ("  longest, ms", "gui_backed_up", "stall_longest_ms"),
        ("backup, s", "backup", "seconds"),
        ("  requests", "backup", "requests"),
        ("colleague's saves during it", "backup", "colleague_saves"),
        ("  failed", "backup", "colleague_failures"),
        ("  longest wait, s", "backup", "colleague_longest_wait_s"),
        ("kamdesk check, s", "check", "seconds"),
        ("  requests", "check", "requests"),
        ("convert to 64 KB pages, s", "convert", "seconds"),
        ("  requests", "convert", "requests"),
        ("  page size after", "convert", "page_size_after"),
    ]
    names = list(results)
    lines = [f"{'what (cache off)':<34}" + "".join(f"{n.upper():>12}" for n in names)]
    for label, measure, key in rows:
        cells = []
        for n in names:
            value = results[n].get(measure, {}).get(key)
            cells.append(
                f"{value:>12.2f}" if isinstance(value, float) else f"{value if value is not None else '—':>12}"
            )
        if any(c.strip() != "—" for c in cells):
            lines.append(f"{label:<34}" + "".join(cells))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--settings", default="lan,vpn")
    parser.add_argument(
        "--only", help=f"comma-separated: {','.join(MEASURES + EXTRA_MEASURES)} (default: all but check on VPN)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    source = args.file or large_demo()
    # An installed kamdesk has its bytecode (pip compiles it, the frozen build carries it); a fresh checkout does
    # not, and the first walk would compile each module it loads, on the GUI thread, as part of its figures.
    import compileall

    import kamdesk

    compileall.compile_dir(str(Path(kamdesk.__file__).parent), quiet=1)
    results: dict[str, dict[str, Any]] = {}
    for name in args.settings.split(","):
        measures = args.only.split(",") if args.only else [m for m in MEASURES if not (m == "check" and name == "vpn")]
        results[name] = run_setting(name, source, measures)
    print(f"file: {source.name}, {source.stat().st_size / 1e6:.0f} MB")
    print(table(results))
    for name, result in results.items():
        for measure, figures in result.items():
            if figures.get("worst_steps"):
                print(f"{name} {measure} worst steps: {', '.join(figures['worst_steps'])}")
            for step, where in (figures.get("stall_stacks") or {}).items():
                if step in {w.rsplit(" ", 2)[0] for w in figures.get("worst_steps", [])}:
                    print(f"  {step}: " + "; ".join(where))
            if figures.get("failure_examples") or figures.get("error"):
                print(f"{name} {measure}: {figures.get('error') or figures.get('failure_examples')}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
