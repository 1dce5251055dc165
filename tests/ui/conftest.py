"""UI tests share the Qt fixtures, and the small demo (per module, around the module's TODAY) with a
workspace on it (`demo_file`, `ws`). Cyclic garbage is collected on the main thread only, as the app does
(kamdesk/collector.py): a collection in a worker thread could free a test's widgets there and crash."""

from qt_fixtures import (  # noqa: F401
    ScriptedPrompts,
    app_settings,
    demo_file,
    garbage_on_main_thread,
    gui_thread_sql,
    scripted,
    workspace,
    ws,
)
