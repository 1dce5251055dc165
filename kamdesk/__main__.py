"""`python -m kamdesk` and the `kamdesk` entry points: headless commands, else the GUI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from kamdesk.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
