"""`python -m kamdesk` and the `kamdesk` entry points: headless commands, else the GUI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--snapshot-copy"]:  # a backup's child process (storage/snapshot.py): no UI, no imports
        from kamdesk.storage.snapshot import child_main

        return child_main(args[1:])
    if args[:1] == ["--integrity-check"]:  # a backup's check of its copy (storage/background_check.py)
        from kamdesk.storage.background_check import child_main as check_main

        return check_main(args[1:])
    if args[:1] == ["--page-size-write"]:  # the fast page-size conversion's writer (storage/page_write.py)
        from kamdesk.storage.page_write import child_main as write_main

        return write_main(args[1:])
    from kamdesk.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
