"""Entry script PyInstaller freezes: the same `main()` the `kamdesk` console script runs."""

import sys

from kamdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
