"""The ``cxreports`` command: CxReports from shells, CI jobs and cron.

It needs the ``cli`` extra (typer and rich). Only this module is imported before they are
known to be installed, so ``import cxreports`` never needs them and ``cxreports`` without
them says how to install them instead of failing with a traceback.

Results go to stdout (tables, ``--json``, ids, URLs, file paths, or the document itself
with ``-o -``); progress and errors go to stderr, so pipes stay clean.
"""

from __future__ import annotations

import sys

__all__ = ["main", "run"]

INSTALL_HINT = "cxreports: the command line needs its extra: pip install 'cxreports[cli]'"


def run(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    try:
        import rich  # noqa: F401
        import typer  # noqa: F401
    except ImportError as exc:
        print(f"{INSTALL_HINT} ({exc.name or 'typer'} is missing)", file=sys.stderr)
        return 1
    from cxreports.cli._app import run_app

    return run_app(sys.argv[1:] if argv is None else list(argv))


def main() -> None:
    """The ``cxreports`` console script."""
    sys.exit(run())
