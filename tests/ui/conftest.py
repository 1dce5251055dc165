"""UI tests share the Qt fixtures, and the small demo (per module, around the module's TODAY) with a
workspace on it (`demo_file`, `ws`)."""

from qt_fixtures import ScriptedPrompts, app_settings, demo_file, scripted, workspace, ws  # noqa: F401
