"""``python -m cxreports.testing``: run the local CxReports server in the foreground.

Prints the base URL, token and default workspace, then serves until Ctrl-C or SIGTERM, both of
which exit with status 0.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from types import FrameType

from cxreports.testing.server import LocalServer
from cxreports.testing.state import DEFAULT_TOKEN

DEFAULT_PORT = 8765  # stable, so an application under test can be configured once


def parse_args(argv: list[str] | None, prog: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description="Run a local CxReports v1 server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"default {DEFAULT_PORT}; 0 picks a free port",
    )
    parser.add_argument("--token", default=None, help="bearer token (default: the seed's token)")
    parser.add_argument("--seed", default=None, help="JSON seed file replacing the default tenant")
    parser.add_argument("--render-delay", type=float, default=0.5, help="seconds (default 0.5)")
    parser.add_argument("--export-ttl", type=float, default=3600.0, help="seconds (default 3600)")
    parser.add_argument("--max-page-size", type=int, default=None)
    parser.add_argument("--faults", default=None, help="fault SPEC, e.g. 'list_workspaces:503=0x2'")
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, prog: str = "python -m cxreports.testing") -> int:
    args = parse_args(argv, prog)
    try:
        server = LocalServer(
            host=args.host,
            port=args.port,
            token=args.token,
            seed=args.seed,
            render_delay=args.render_delay,
            export_ttl=args.export_ttl,
            max_page_size=args.max_page_size,
            faults=args.faults,
            log_level=args.log_level,
        )
        sock = server.bind()
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        print("hint: --port 0 picks a free port", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # the testing extra is not installed: say so in one line
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"CxReports local server: {server.url}", flush=True)
    # A token the user chose (--token, or a seed's) is theirs and is not echoed; only the
    # built-in, published local token is shown so a first run says what to use.
    shown = server.token if server.token == DEFAULT_TOKEN else "(the one you gave)"
    print(f"  token:     {shown}", flush=True)
    print(f"  workspace: {server.workspace} (id {server.workspace_id})", flush=True)
    print("Press Ctrl-C to stop.", flush=True)

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, terminate)
    with contextlib.suppress(KeyboardInterrupt):
        server.make_uvicorn().run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
