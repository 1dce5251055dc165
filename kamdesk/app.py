"""Composition root: settings → language → database (or the welcome screen) → services → MainWindow."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from kamdesk import __version__
from kamdesk.collector import (
    collect_due,
    collect_rarely,
    idles_only_when_idle,
    keep_start_up,
    loop_that_idles,
    on_gui_thread_only,
    switch_often,
)
from kamdesk.i18n import _, detect_language, normalise_language, set_language
from kamdesk.services.errors import StorageError
from kamdesk.ui import prompts
from kamdesk.ui.app_settings import AppSettings, os_user_name

if TYPE_CHECKING:
    from kamdesk.services.workspace import Workspace
    from kamdesk.ui.main_window import MainWindow

#: Set by the benchmark to the epoch second the process was started: start-up reports how long the
#: window took to appear and to fill, then quits.
STARTUP_PROBE = "KAMDESK_STARTUP_PROBE"
#: A database server's address (postgresql://user:password@host:port/database) to open at start-up
#: instead of the last file, when no file is named on the command line.
DATABASE_URL = "KAMDESK_DATABASE_URL"
#: How often the GUI thread looks whether a garbage collection is due (ms).
COLLECT_EVERY_MS = 250


def _probe(stage: str) -> None:
    started = os.environ.get(STARTUP_PROBE)
    if started:
        print(f"{stage} {(time.time() - float(started)) * 1000:.1f}", flush=True)


def _application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        if loop_that_idles():  # GTK's own file dialogs would wait for GLib's loop: Qt's dialogs instead
            QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
        app = QApplication(sys.argv[:1])
    app.setApplicationName("kamdesk")
    app.setApplicationDisplayName("kamdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("kamdesk")
    return app


def apply_language(app: QApplication, settings: AppSettings) -> str:
    """Pick the person's language (their setting, else the system's) for kamdesk and Qt's own dialogs."""
    language = set_language(settings.language or detect_language(QLocale.system().uiLanguages()))
    if language != "en":
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        # Qt ships Chinese for its own buttons (Save, Cancel…) as qt_zh_*.qm, not qtbase_zh_*.qm.
        if any(translator.load(f"{catalogue}_{language}", folder) for catalogue in ("qtbase", "qt")):
            app.installTranslator(translator)
        # Someone in Hong Kong reading Traditional Chinese keeps Hong Kong's own date and number formats.
        if normalise_language(QLocale.system().name()) != language:
            QLocale.setDefault(QLocale(language))
    elif QLocale.system().language() == QLocale.Language.C:
        # No locale configured (common on servers and fresh accounts): plain English formats.
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    return language


def ensure_display_name(settings: AppSettings, interactive: bool) -> str:
    """The name used for owners and the audit trail; asked once on first run (default: OS user)."""
    if settings.display_name:
        return settings.display_name
    name = os_user_name()
    if interactive:
        answer = prompts.current().ask_text(
            None,
            _("Welcome to kamdesk"),
            _("Your name as your team will see it (owner of records, audit trail):"),
            name,
        )
        if answer and answer.strip():
            name = answer.strip()
    settings.display_name = name
    settings.sync()
    return name


def _start_target(
    file: str | None, smoke_test: bool, settings: AppSettings, temp_dir: str | None
) -> tuple[str | None, bool]:
    """What to open at start and whether to create it: the file (or database URL) named, the server named
    by KAMDESK_DATABASE_URL, a new file for a smoke test, the last file; None for the welcome screen."""
    if not file and not smoke_test and os.environ.get(DATABASE_URL):
        file = os.environ[DATABASE_URL]  # a team database on a server, instead of a file
    if file and "://" in file:
        return file, False  # a database URL
    if file:
        return str(Path(file).expanduser()), False
    if temp_dir is not None:
        return str(Path(temp_dir) / "smoke.kamdb"), True
    if settings.last_file and Path(settings.last_file).exists():
        return settings.last_file, False
    return None, False  # first run (or the last file is gone): the welcome asks the name and the file


def _open_at_start(
    app: QApplication, settings: AppSettings, opener: Callable[[str, bool], Workspace], target: str, create: bool
) -> tuple[Workspace | None, MainWindow | None]:
    """Open `target` in a window that appears at once, saying which file it opens; the database layer (the
    slowest part of a start) loads behind it and the tabs fill in when the file is open. A file that cannot
    be opened is explained (with a backup offered when it is damaged) and the frame hidden again."""
    from kamdesk.ui.main_window import MainWindow
    from kamdesk.ui.shared_file import open_or_offer_restore

    frame = MainWindow(None, settings, opener, opening=target)
    frame.show()
    app.processEvents()
    _probe("shown")
    workspace = open_or_offer_restore(frame, opener, target, create)
    if workspace is None:
        frame.hide()
    return workspace, frame


def main(file: str | None = None, smoke_test: bool = False) -> int:
    app = _application()
    temp_dir = tempfile.TemporaryDirectory(prefix="kamdesk-smoke-") if smoke_test else None
    if not smoke_test:  # a windowed build has no console: errors are shown and logged
        from kamdesk.paths import user_data_dir
        from kamdesk.ui import errors

        errors.install(user_data_dir())
    # A smoke test leaves this computer's settings (name, recent files, window) untouched.
    settings = AppSettings(Path(temp_dir.name) / "kamdesk.ini" if temp_dir else None)
    apply_language(app, settings)

    def opener(path: str, create: bool) -> Workspace:
        from kamdesk.domain.names import preload
        from kamdesk.services.workspace import open_workspace  # the database layer loads here

        preload()  # pinyin's dictionaries: here, not in the middle of the first save
        return open_workspace(path, settings.display_name or os_user_name(), create=create)

    target, create = _start_target(file, smoke_test, settings, temp_dir.name if temp_dir else None)
    workspace: Workspace | None = None
    frame: MainWindow | None = None
    if target is not None:
        ensure_display_name(settings, interactive=not smoke_test)
        if not smoke_test:
            workspace, frame = _open_at_start(app, settings, opener, target, create)
        else:
            try:
                workspace = opener(target, create)
            except StorageError as exc:
                print(_("kamdesk: {message}").format(message=exc), file=sys.stderr)
                return 1
    if workspace is None:
        from kamdesk.ui.dialogs.welcome_dialog import run_welcome

        workspace = run_welcome(settings, opener)
        if workspace is None:
            return 0
    if not smoke_test and workspace.path is not None:
        settings.add_recent_file(str(workspace.path))
    window = _attach(frame, workspace, settings, opener)
    if smoke_test:
        return _run_smoke_test(app, window, temp_dir)
    window.show()
    if os.environ.get(STARTUP_PROBE):
        app.processEvents()
        _probe("filled")
        window.close()
        return 0
    keep_start_up()  # full collections leave the start-up's objects alone (0.12-0.14 s down to 0.04-0.07 s)
    collect_rarely()  # a full garbage collection holds every thread: the window froze 0.1-0.2 s each time
    switch_often()  # the GUI thread waits less for the interpreter while background reads hold it
    _collect_on_gui_thread(app)
    return int(app.exec())


def _collect_on_gui_thread(app: QApplication) -> Callable[[], None]:
    """Cyclic garbage collected on the GUI thread only (collector.on_gui_thread_only says why), when its event
    loop has nothing left to do: a young collection takes 20-60 ms on the large demo, and one run between two
    events of a tab being filled added to their stall (151 ms over the VPN, issue 24). A timer collects anyway
    once much has built up (collector.WAIT_AT_MOST) in a loop that never runs out of events."""
    from PySide6.QtCore import QAbstractEventDispatcher, QTimer

    on_gui_thread_only()
    dispatcher: QAbstractEventDispatcher | None = QAbstractEventDispatcher.instance(app.thread())
    if dispatcher is not None and not idles_only_when_idle(dispatcher.metaObject().className()):
        dispatcher = None  # GLib's loop (collector.loop_that_idles): the timer alone, collecting when due
    if dispatcher is not None:
        dispatcher.aboutToBlock.connect(collect_due)
    timer = QTimer(app)
    timer.setInterval(COLLECT_EVERY_MS)
    timer.timeout.connect(lambda: collect_due(idle=dispatcher is None))
    timer.start()

    def stop() -> None:
        """Collections no longer asked for (the tests' own fixtures collect)."""
        timer.stop()
        if dispatcher is not None:
            dispatcher.aboutToBlock.disconnect(collect_due)

    return stop


def _attach(
    frame: MainWindow | None, workspace: Workspace, settings: AppSettings, opener: Callable[[str, bool], Workspace]
) -> MainWindow:
    """The window on `workspace`: the frame shown at start filled in, or a new one; the file is closed if that fails."""
    from kamdesk.ui.main_window import MainWindow

    try:
        if frame is not None:
            frame.attach(workspace)
            return frame
        return MainWindow(workspace, settings, opener)
    except Exception:
        workspace.close()
        raise


def _run_smoke_test(app: QApplication, window: object, temp_dir: object) -> int:
    """Show every tab of the real window once, then close; any error is reported and fails."""
    from kamdesk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    try:
        window.show()
        app.processEvents()
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            print(_("shown tab: {name}").format(name=window.tab_titles()[index]))
        accounts = window.accounts_tab.model.total()
        print(_("accounts listed: {count}").format(count=accounts))
        from kamdesk.ui.dialogs.guide_dialog import guide_file

        guide = guide_file()
        if not guide.is_file():  # the bundle must carry the user guide too
            raise FileNotFoundError(guide)
        print(_("user guide: {name}").format(name=guide.name))
        from kamdesk.services.server import driver_version

        print(_("PostgreSQL driver: {version}").format(version=driver_version()))  # bundled for team servers
        window.close()
        app.processEvents()
    except Exception:  # report the reason and fail, whatever it was
        traceback.print_exc()
        return 1
    finally:
        if temp_dir is not None:
            temp_dir.cleanup()  # type: ignore[attr-defined]
    print(_("smoke test passed"))
    return 0
