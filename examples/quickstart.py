"""CxReports quickstart: the everyday calls of the Python client, one step at a time.

Against your own server (the codes below are the local server's; use yours)::

    export CXREPORTS_URL=https://your-tenant.cx-reports.app
    export CXREPORTS_TOKEN=...          # a Personal Access Token
    export CXREPORTS_WORKSPACE=sales
    python examples/quickstart.py

Without CXREPORTS_URL it starts the local CxReports server from ``cxreports.testing``
(``pip install 'cxreports[testing]'``) and runs against that. Files land in ``./out/``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import cxreports

OUT = Path("out")
INVOICE = "invoice"  # a report type code: its default report. A report id (101) works too.
JOB = "monthly-invoices"  # a job that requires review before delivery


def run(client: cxreports.Client) -> None:
    OUT.mkdir(exist_ok=True)

    # 1. What the token can see. Lists return frozen objects (id, name, code...).
    workspaces = client.workspaces()
    print(f"1. workspaces: {', '.join(w.code or str(w.id) for w in workspaces)}")
    reports = client.reports()
    print(f"   reports in {client.workspace}: {', '.join(r.name for r in reports)}")

    # 2. A synchronous export, streamed to disk. The file appears only once complete.
    pdf = client.export_to_file(INVOICE, OUT / "invoice.pdf", params={"invoiceNumber": "INV-1001"})
    print(f"2. exported {pdf} ({pdf.stat().st_size:,} bytes)")

    # 3. Any format: pdf, docx, xlsx, pptx or html.
    xlsx = client.export_to_file("sales-summary", OUT / "sales-summary.xlsx", format="xlsx")
    print(f"3. exported {xlsx}")

    # 4. Upload data once, then render with it as often as needed (it expires on its own).
    data = client.push_temporary_data(
        {"customer": "Acme Corporation", "items": [{"description": "Widget", "quantity": 3}]},
        expires=dt.timedelta(hours=1),
    )
    with_data = client.export_to_file(INVOICE, OUT / "invoice-acme.pdf", temp_data=data)
    print(f"4. pushed temporary data {data.id}, exported {with_data} with it")

    # 5. Long renders: queue on the server, wait (it polls with backoff), then download.
    export = client.start_export("statement", params={"month": "2026-10"})
    export.wait(timeout=120)
    statement = export.save(OUT)  # a folder: the server's file name inside it
    print(f"5. async export {export.id} finished, saved {statement}")

    # 6. A preview for an iframe: a single-use nonce in the URL, never the token.
    url = client.preview_url(INVOICE, params={"invoiceNumber": "INV-1001"})
    print(f"6. preview URL (open it once): {url}")

    # 7. A job: start a run, wait for its entries, save the review document, deliver.
    run = client.start_job_run(JOB)
    status = run.wait()
    review = run.review_document().wait().save(OUT / "monthly-invoices-review.pdf")
    run.deliver()
    print(
        f"7. job run {run.id}: {status.entries} entries ({status.errors} failed); "
        f"review in {review}; delivered"
    )


@contextlib.contextmanager
def connect() -> Iterator[cxreports.Client]:
    """Your server when CXREPORTS_URL is set, else a local one started for this run."""
    if os.environ.get("CXREPORTS_URL"):
        with cxreports.Client() as client:  # CXREPORTS_URL, _TOKEN and _WORKSPACE
            yield client
        return
    from cxreports.testing import serve

    with serve(render_delay=0.5) as server:
        print(f"(no CXREPORTS_URL: using a local CxReports server at {server.url})")
        with cxreports.Client(server.url, server.token, server.workspace) as client:
            yield client
        keep_serving(server.url)


def keep_serving(url: str) -> None:
    """Keep the local server up for the preview URL while someone is at the terminal.

    Without a terminal on stdin (CI, a pipe) nobody can press Enter, so say the link dies.
    """
    if not sys.stdin.isatty():
        print("The local server stops now, so the preview URL above no longer works.")
        return
    print(f"The local server stays up at {url} for the preview URL above.")
    print("Press Enter or Ctrl-C to stop it.", flush=True)
    with contextlib.suppress(KeyboardInterrupt, EOFError):
        input()


if __name__ == "__main__":
    with connect() as client:
        run(client)
