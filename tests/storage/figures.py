"""Reliability figures: printed as each test ends (whatever -s says) and listed again at the end of the run."""

from __future__ import annotations

import pytest

#: (test title, figures) in the order reported; the storage conftest prints them in the summary.
REPORTED: list[tuple[str, dict[str, object]]] = []


def report(request: pytest.FixtureRequest, title: str, **figures: object) -> str:
    """Print one line of figures past pytest's capture, keep them for the summary and the JUnit XML."""
    line = f"[figures] {title}: " + ", ".join(f"{key}={value}" for key, value in figures.items())
    REPORTED.append((title, figures))
    for key, value in figures.items():
        request.node.user_properties.append((key, value))
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + line, flush=True)
    else:
        print(line, flush=True)
    return line
