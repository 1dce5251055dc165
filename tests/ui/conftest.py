"""UI tests share the Qt fixtures."""

from qt_fixtures import ScriptedPrompts, app_settings, scripted, workspace  # noqa: F401
