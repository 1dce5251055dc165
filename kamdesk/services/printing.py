"""Writing a PDF so that a stopped or failed print leaves nothing behind: the document is written to a
temporary file beside the target and moved into place only once it is complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from kamdesk.domain.printing import PrintCancelled, Progress

__all__ = ["PrintCancelled", "Progress", "write_safely"]


def write_safely(out: str | Path, write: Callable[[Path], object]) -> None:
    """Call write(temporary path), then move the file to `out`. If write raises (PrintCancelled when the person
    pressed Stop, or any error), the temporary file is removed, `out` is left as it was, and the error goes on."""
    target = Path(out)
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=target.parent)
    os.close(handle)
    part = Path(name)
    try:
        write(part)
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
