"""Fetch a CxReports server's Swagger document, normalise it into our spec, and diff the API.

A thin command line over ``cxreports._spec`` (fetch, normalise, surface, diff), which
``cxreports doctor`` and ``client.check_api()`` use too. It writes
``openapi/cxreports-v1.json`` in the form openapi-python-client generates from, with our
stable operationIds and schema names, records the source in ``openapi/cxreports-v1.lock.json``
and prints what changed in the API and whether it breaks the hand-written ``cxreports``.

--url is a server (its Swagger paths are tried in order: /swagger/v1/swagger.json,
/swagger/v1.0/swagger.json, /api/swagger/v1/swagger.json, /openapi/v1.json; --path tries
only its own), a URL ending in .json (fetched as is), or a file path.

Exit codes: 0 no API changes, or only compatible ones; 1 error (nothing written);
3 breaking changes for the hand-written layer (the spec is still written unless --dry-run,
so you can regenerate and see what to fix). argparse's own usage errors exit 2.

Give the token through CXREPORTS_TOKEN rather than --token, so it stays out of ``ps``; it is
never printed, nor written to the lock file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from cxreports._spec import (  # noqa: E402
    SWAGGER_PATHS,
    SpecError,
    diff_surfaces,
    dumps,
    fetch_document,
    normalise,
    read_file,
    render,
    surface,
)
from cxreports._spec.fetch import scrub  # noqa: E402
from cxreports._spec.lock import ApiSpec, dump_lock, sha256_text  # noqa: E402
from cxreports._spec.normalise import unmapped_file_types  # noqa: E402

PINNED = ROOT / "openapi" / "cxreports-v1.json"
CONFIG = ROOT / "openapi" / "generator-config.yaml"

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BREAKING = 3


def generator_version() -> str:
    try:
        return f"openapi-python-client {metadata.version('openapi-python-client')}"
    except metadata.PackageNotFoundError:
        return "openapi-python-client (not installed)"


def lock_path(spec: Path) -> Path:
    return spec.with_name(spec.name.removesuffix(".json") + ".lock.json")


def _source(url: str) -> str | None:
    """The host the document came from (no user info, path or query), or the file's name."""
    if url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else None
    return "file:" + Path(url).name


def _is_file(url: str) -> bool:
    return not url.startswith(("http://", "https://")) and (
        url.endswith(".json") or Path(url).exists()
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fetch_spec.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("CXREPORTS_URL"),
        help="the instance's base URL, a URL ending in .json, or a file (env CXREPORTS_URL)",
    )
    parser.add_argument(
        "--token",
        default=None,
        help="personal access token; prefer env CXREPORTS_TOKEN, which stays out of `ps`",
    )
    parser.add_argument(
        "--path",
        action="append",
        help="Swagger path to fetch instead of the fallback list above (repeatable)",
    )
    parser.add_argument(
        "--output", type=Path, default=PINNED, help="where to write (default %(default)s)"
    )
    parser.add_argument(
        "--against",
        type=Path,
        default=PINNED,
        help="pinned spec to diff with and take names from, read before writing "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--server-version",
        default=None,
        help="the server's version for the lock file, when its info.version says only v1",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    token = args.token or os.environ.get("CXREPORTS_TOKEN") or None
    if not args.url:
        print("fetch_spec: error: no server URL; pass --url or set CXREPORTS_URL", file=sys.stderr)
        return EXIT_ERROR
    try:
        try:
            pinned = json.loads(args.against.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SpecError(f"cannot read the pinned spec {args.against}: {exc}") from None
        if _is_file(args.url):
            fetched = read_file(args.url)
            print(f"read {args.url}", file=sys.stderr)
        else:
            fetched = fetch_document(
                args.url,
                token,
                tuple(args.path or SWAGGER_PATHS),
                timeout=args.timeout,
                log=lambda msg: print(scrub(msg, token), file=sys.stderr),
            )
        spec = normalise(fetched.document, pinned)
        changes = diff_surfaces(surface(pinned), surface(spec))
    except SpecError as exc:
        print(f"fetch_spec: error: {scrub(str(exc), token)}", file=sys.stderr)
        return EXIT_ERROR
    print(f"API changes against {args.against}:")
    sys.stdout.write(render(changes))
    for media in unmapped_file_types(spec, CONFIG):
        print(
            f"note: responses of type {media} are not in {CONFIG.relative_to(ROOT)}; add "
            f"`{media}: application/octet-stream` under content_type_overrides or the "
            "generator drops them (make generate fails)"
        )
    breaking = any(c.breaking for c in changes)
    if args.dry_run:
        print("dry run: nothing written")
    else:
        text = dumps(spec)
        version = args.server_version or str(fetched.document.get("info", {}).get("version", ""))
        lock = ApiSpec(
            version=version or "unknown",
            server=_source(fetched.url),
            document_sha256=fetched.sha256,
            spec_sha256=sha256_text(text),
            generator=generator_version(),
        )
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8")
            lock_path(args.output).write_text(dump_lock(lock), encoding="utf-8")
        except OSError as exc:
            print(f"fetch_spec: error: cannot write {args.output}: {exc}", file=sys.stderr)
            return EXIT_ERROR
        print(
            f"wrote {args.output} and {lock_path(args.output).name} (server version {lock.version})"
        )
        print(
            "next: make generate, then make test"
            if not breaking
            else "next: fix what the BREAKING lines name (or keep the previous spec with "
            "git checkout openapi/), then make generate and make test"
        )
    return EXIT_BREAKING if breaking else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
