"""End-to-end tests share the Qt fixtures; cyclic garbage is collected on the main thread only (as in tests/ui)."""

from qt_fixtures import (  # noqa: F401
    ScriptedPrompts,
    app_settings,
    demo_file,
    garbage_on_main_thread,
    gui_thread_sql,
    scripted,
    workspace,
)
