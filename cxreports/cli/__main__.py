"""``python -m cxreports.cli``: the ``cxreports`` command without its console script."""

from cxreports.cli import main

main()
