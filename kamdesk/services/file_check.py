"""The start of `kamdesk check`'s copy of a large or shared file, importable before the rest of kamdesk.

`start_copy` starts the snapshot's child process at once (storage/file_check.py); the command line then loads
the services (about half a second) while the copy reads the file, and hands the copy to `check_file`.
"""

from __future__ import annotations

from kamdesk.storage.file_check import StartedCopy, start_copy

__all__ = ["StartedCopy", "start_copy"]
