"""``client.check_api()`` and ``cxreports doctor``: is this server the API we were built for?

One sans-I/O flow, driven by the sync or async shell: list the workspaces (connectivity and
the token), look for the default workspace, then fetch the server's Swagger document, if it
exposes one, and diff it against the pinned spec with the same code as ``make spec``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import httpx

from ._spec import fetch as _fetch
from ._spec import lock as _lock
from ._spec.diff import Change, diff_surfaces, render
from ._spec.normalise import normalise
from ._spec.surface import surface
from .errors import (
    APIConnectionError,
    AuthenticationError,
    CxReportsError,
    NotFoundError,
    PermissionDeniedError,
)

if TYPE_CHECKING:
    from ._base_client import BaseClient
    from ._polling import Flow


@attrs.frozen
class ApiCheck:
    """What [`check_api()`][cxreports.Client.check_api] found.

    ``ok`` unless something failed or the API drifted in a way that breaks cxreports;
    compatible drift is listed in ``changes`` but still ``ok``.

    Attributes:
        base_url: The server checked.
        connected: Whether it answered at all.
        token_valid: Whether it accepted the token; ``None`` when it could not be reached.
        workspace: The client's default workspace, if it has one.
        workspace_found: Whether the token sees that workspace; ``None`` when there is no
            default workspace or it was not checked.
        swagger_url: Where the live API description was read; ``None`` when the server
            exposes none.
        changes: How the live API differs from the pinned spec, each change marked
            ``breaking`` when cxreports relies on what changed.
        notes: Why something was not checked, or failed, in words.
    """

    base_url: str
    connected: bool
    token_valid: bool | None  # None: not known (the server could not be reached)
    workspace: str | None  # the client's default workspace, if it has one
    workspace_found: bool | None  # None: no default workspace, or not checked
    swagger_url: str | None  # where the live API was read; None: not exposed
    changes: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()  # why something was not checked, or failed

    @property
    def breaking(self) -> bool:
        """Whether any change breaks what cxreports relies on (``make spec`` exits 3)."""
        return any(c.breaking for c in self.changes)

    @property
    def ok(self) -> bool:
        """Connected, token accepted, default workspace found (if any), no breaking drift."""
        return (
            self.connected
            and bool(self.token_valid)
            and self.workspace_found is not False
            and not self.breaking
        )

    def report(self) -> str:
        """The check as lines of text, as ``cxreports doctor`` prints it.

        Returns:
            One line per check (``ok``, ``FAIL`` or ``skip``), the notes, then the changes
            found, if any. It holds no token.
        """
        spec = _lock.read_lock()

        def mark(good: bool | None) -> str:
            return {True: "ok   ", False: "FAIL ", None: "skip "}[good]

        lines = [f"{mark(self.connected)} connect to {self.base_url}"]
        lines.append(f"{mark(self.token_valid)} token accepted")
        if self.workspace is not None:
            lines.append(
                f"{mark(self.workspace_found)} default workspace {self.workspace!r} exists"
            )
        if self.swagger_url is None:
            lines.append(f"{mark(None)} API drift: no Swagger document to compare")
        else:
            verdict = (
                "BREAKING changes"
                if self.breaking
                else ("compatible changes" if self.changes else "no changes")
            )
            lines.append(
                f"{mark(not self.breaking)} API drift against the pinned spec "
                f"(version {spec.version}, sha256 {spec.spec_sha256[:12]}): {verdict} "
                f"({self.swagger_url})"
            )
        lines += [f"      {note}" for note in self.notes]
        if self.changes:
            lines += ["", render(self.changes).rstrip("\n")]
        return "\n".join(lines) + "\n"


def _read_swagger(url: str) -> Any:
    def parse(response: httpx.Response) -> _fetch.Fetched | str | None:
        try:
            return _fetch.read_answer(url, response, None)
        except _fetch.SpecError as exc:
            return str(exc)

    return parse


def check_api_flow(client: BaseClient) -> Flow[ApiCheck]:
    from ._base_client import Call

    found = attrs.evolve
    result = ApiCheck(client.base_url, False, None, client.workspace, None, None)
    try:
        workspaces = yield client._workspaces_call()
    except APIConnectionError as exc:
        return found(result, notes=(str(exc),))
    except AuthenticationError as exc:
        return found(result, connected=True, token_valid=False, notes=(f"{exc}",))
    except CxReportsError as exc:
        return found(result, connected=True, notes=(f"listing workspaces failed: {exc}",))
    result = found(result, connected=True, token_valid=True)
    if client.workspace is not None:
        wanted = client.workspace.lower()
        hit = any(str(w.id) == wanted or (w.code or "").lower() == wanted for w in workspaces)
        result = found(result, workspace_found=hit)
        if not hit:
            known = ", ".join(w.code or str(w.id) for w in workspaces) or "none"
            result = found(
                result,
                notes=(f"the token sees no workspace {client.workspace!r} (it sees: {known})",),
            )

    notes = list(result.notes)
    for path in _fetch.SWAGGER_PATHS:
        url = client.base_url + path
        call = Call({"method": "get", "url": path}, _read_swagger(url), retry_safe=True)
        try:
            answer = yield call
        except NotFoundError:
            continue
        except (AuthenticationError, PermissionDeniedError) as exc:
            notes.append(f"Swagger at {url} refused this token: {exc}")
            break
        except CxReportsError as exc:
            notes.append(f"Swagger at {url} failed: {exc}")
            break
        if isinstance(answer, _fetch.Fetched):
            pinned = _lock.load_pinned_spec()
            live = normalise(answer.document, pinned)
            changes = tuple(diff_surfaces(surface(pinned), surface(live)))
            return found(result, swagger_url=url, changes=changes, notes=tuple(notes))
        if isinstance(answer, str):
            notes.append(answer)
            break
    else:
        notes.append("the server exposes no Swagger document (enable Swagger to check drift)")
    return found(result, notes=tuple(notes))
