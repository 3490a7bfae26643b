"""Refuse, in one line, a Python older than cxreports supports, before make builds .venv.

Run by the interpreter being checked, so it keeps to syntax that old versions can parse.
"""

import sys

MINIMUM = (3, 11)

if sys.version_info[:2] < MINIMUM:
    found = sys.version.split()[0]
    sys.stderr.write(
        f"error: cxreports needs Python {MINIMUM[0]}.{MINIMUM[1]} or newer, but {sys.executable}"
        f" is Python {found}; run make with PYTHON=python3.11 (or newer)\n"
    )
    sys.exit(1)
