"""Shared Qt test fixtures: scripted dialogs, isolated settings and a workspace on a temporary file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kamdesk.services.workspace import Workspace, open_workspace
from kamdesk.ui import prompts
from kamdesk.ui.app_settings import AppSettings


class ScriptedPrompts(prompts.Prompts):
    """Answers dialogs from queues and records what was shown, so tests can assert on it."""

    def __init__(self) -> None:
        self.texts: list[str | None] = []
        self.yes_no: list[bool] = []
        self.files: list[str | None] = []
        self.shown: list[tuple[str, str, str]] = []
        self.choices: list[int | None] = []
        self.conflict_choices: list[dict[str, str] | None] = []
        self.conflict_views: list = []
        self.notices: list[str] = []
        self.dialogs: list = []

    def ask_text(self, parent, title, label, default=""):  # noqa: ANN001
        self.shown.append(("ask_text", title, label))
        return self.texts.pop(0) if self.texts else default

    def ask_yes_no(self, parent, title, text):  # noqa: ANN001
        self.shown.append(("ask_yes_no", title, text))
        return self.yes_no.pop(0) if self.yes_no else False

    def inform(self, parent, title, text):  # noqa: ANN001
        self.shown.append(("inform", title, text))

    def warn(self, parent, title, text):  # noqa: ANN001
        self.shown.append(("warn", title, text))

    def open_file(self, parent, title, directory=""):  # noqa: ANN001
        self.shown.append(("open_file", title, directory))
        return self.files.pop(0) if self.files else None

    def save_file(self, parent, title, directory=""):  # noqa: ANN001
        self.shown.append(("save_file", title, directory))
        return self.files.pop(0) if self.files else None

    def save_image(self, parent, title, directory=""):  # noqa: ANN001
        self.shown.append(("save_image", title, directory))
        return self.files.pop(0) if self.files else None

    def open_document(self, path):  # noqa: ANN001
        self.shown.append(("open_document", path, ""))

    def show_modal(self, dialog):  # noqa: ANN001
        """Records the dialog (kept alive for the test to look at) instead of running it."""
        self.shown.append(("show_modal", dialog.windowTitle(), ""))
        self.dialogs.append(dialog)
        return 0

    def save_pdf(self, parent, title, directory=""):  # noqa: ANN001
        self.shown.append(("save_pdf", title, directory))
        return self.files.pop(0) if self.files else None

    def open_data_file(self, parent, title, file_filter, directory=""):  # noqa: ANN001
        self.shown.append(("open_data_file", title, file_filter))
        return self.files.pop(0) if self.files else None

    def save_data_file(self, parent, title, file_filter, suffix, directory=""):  # noqa: ANN001
        self.shown.append(("save_data_file", title, file_filter))
        return self.files.pop(0) if self.files else None

    def choose(self, parent, title, text, options):  # noqa: ANN001
        self.shown.append(("choose", title, text))
        return self.choices.pop(0) if self.choices else None

    def resolve_conflicts(self, parent, view):  # noqa: ANN001
        """Answers with the next scripted choices; "all mine"/"all theirs" stand for every conflicting field."""
        self.shown.append(("resolve_conflicts", view.title, view.intro))
        self.conflict_views.append(view)
        answer = self.conflict_choices.pop(0) if self.conflict_choices else None
        if answer in ({"*": "mine"}, {"*": "theirs"}):
            return {row.field: answer["*"] for row in view.rows}
        return answer

    def notify(self, parent, text):  # noqa: ANN001
        self.shown.append(("notify", "", text))
        self.notices.append(text)

    def confirm_destructive(self, parent, title, text, action):  # noqa: ANN001
        self.shown.append(("confirm_destructive", title, text))
        return self.yes_no.pop(0) if self.yes_no else False


@pytest.fixture
def scripted() -> Iterator[ScriptedPrompts]:
    fake = ScriptedPrompts()
    previous = prompts.set_prompts(fake)
    yield fake
    prompts.set_prompts(previous)


@pytest.fixture
def app_settings(tmp_path: Path) -> AppSettings:
    settings = AppSettings(tmp_path / "config" / "kamdesk.ini")
    settings.display_name = "Test Person"
    return settings


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "team.kamdb", "Test Person", create=True)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def demo_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo built once per test module, around the module's TODAY."""
    from kamdesk.services.demo import load_demo
    from kamdesk.services.demo_data import DemoSize

    path = tmp_path_factory.mktemp(request.module.__name__.removeprefix("test_")) / "demo.kamdb"
    load_demo(path, DemoSize.SMALL, user_name="测试", today=request.module.TODAY)
    return path


@pytest.fixture
def ws(request: pytest.FixtureRequest, demo_file: Path) -> Iterator[Workspace]:
    """The module's demo file opened as 测试, with the one clock fixed at the module's TODAY."""
    from kamdesk.domain import clock

    clock.clock().fix(request.module.TODAY)
    workspace = open_workspace(demo_file, "测试")
    yield workspace
    workspace.close()


@pytest.fixture(autouse=True)
def garbage_on_main_thread() -> Iterator[None]:
    """No automatic collection while a Qt test runs; what it left is collected here, on the main thread.

    With collection off nothing is promoted during the test, so collecting the two young generations takes all
    the test's garbage (a full collection after each test tripled the UI tests' time)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(1)
        if enabled:
            gc.enable()


class GuiThreadSql:
    """The SQL statements the GUI (main) thread ran while `watching()`, each with the kamdesk code that ran it.

    On a file server every statement on the GUI thread is a freeze of a transaction's requests (tens of
    milliseconds over a VPN each), so a flow the window runs must leave `sites` empty (issue 24)."""

    def __init__(self) -> None:
        self.sites: list[str] = []
        self._on = False

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        import threading
        import traceback

        if not self._on or threading.current_thread() is not threading.main_thread():
            return
        frames = [f for f in traceback.extract_stack() if "kamdesk" in f.filename and "storage" not in f.filename]
        where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames[-4:]))
        self.sites.append(f"{where} | {statement.split(chr(10))[0][:80]}")

    def watching(self):  # noqa: ANN201
        """`with gui_thread_sql.watching(): ...` records statements only inside the block."""
        import contextlib

        @contextlib.contextmanager
        def block() -> Iterator[None]:
            self._on = True
            try:
                yield
            finally:
                self._on = False

        return block()


@pytest.fixture
def gui_thread_sql() -> Iterator[GuiThreadSql]:
    """Records the statements run on the GUI thread inside `with gui_thread_sql.watching():` (see GuiThreadSql)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    recorder = GuiThreadSql()
    event.listen(Engine, "before_cursor_execute", recorder._before)
    yield recorder
    event.remove(Engine, "before_cursor_execute", recorder._before)
