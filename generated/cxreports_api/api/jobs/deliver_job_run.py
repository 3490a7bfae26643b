from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    workspace_id: str,
    job_id_or_code: str,
    job_run_id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ws/{workspace_id}/jobs/{job_id_or_code}/runs/{job_run_id}/deliver".format(
            workspace_id=quote(str(workspace_id), safe=""),
            job_id_or_code=quote(str(job_id_or_code), safe=""),
            job_run_id=quote(str(job_run_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workspace_id: str,
    job_id_or_code: str,
    job_run_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | Error]:
    """Deliver a job run

     Delivers all entries of the run after review and approval. Only applicable when reviewRequired is
    true on the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        job_run_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        job_id_or_code=job_id_or_code,
        job_run_id=job_run_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workspace_id: str,
    job_id_or_code: str,
    job_run_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Any | Error | None:
    """Deliver a job run

     Delivers all entries of the run after review and approval. Only applicable when reviewRequired is
    true on the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        job_run_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error
    """

    return sync_detailed(
        workspace_id=workspace_id,
        job_id_or_code=job_id_or_code,
        job_run_id=job_run_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    workspace_id: str,
    job_id_or_code: str,
    job_run_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | Error]:
    """Deliver a job run

     Delivers all entries of the run after review and approval. Only applicable when reviewRequired is
    true on the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        job_run_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        job_id_or_code=job_id_or_code,
        job_run_id=job_run_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: str,
    job_id_or_code: str,
    job_run_id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Any | Error | None:
    """Deliver a job run

     Delivers all entries of the run after review and approval. Only applicable when reviewRequired is
    true on the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        job_run_id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error
    """

    return (
        await asyncio_detailed(
            workspace_id=workspace_id,
            job_id_or_code=job_id_or_code,
            job_run_id=job_run_id,
            client=client,
        )
    ).parsed
