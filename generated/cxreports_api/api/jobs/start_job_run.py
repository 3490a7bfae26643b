from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.job_run_request import JobRunRequest
from ...models.job_run_started import JobRunStarted
from ...types import UNSET, Response, Unset


def _get_kwargs(
    workspace_id: str,
    job_id_or_code: str,
    *,
    body: JobRunRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ws/{workspace_id}/jobs/{job_id_or_code}/runs".format(
            workspace_id=quote(str(workspace_id), safe=""),
            job_id_or_code=quote(str(job_id_or_code), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | JobRunStarted | None:
    if response.status_code == 200:
        response_200 = JobRunStarted.from_dict(response.json())

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
) -> Response[Error | JobRunStarted]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workspace_id: str,
    job_id_or_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRunRequest | Unset = UNSET,
) -> Response[Error | JobRunStarted]:
    """Start a job run

     Starts a run of the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        body (JobRunRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | JobRunStarted]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        job_id_or_code=job_id_or_code,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workspace_id: str,
    job_id_or_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRunRequest | Unset = UNSET,
) -> Error | JobRunStarted | None:
    """Start a job run

     Starts a run of the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        body (JobRunRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | JobRunStarted
    """

    return sync_detailed(
        workspace_id=workspace_id,
        job_id_or_code=job_id_or_code,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    workspace_id: str,
    job_id_or_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRunRequest | Unset = UNSET,
) -> Response[Error | JobRunStarted]:
    """Start a job run

     Starts a run of the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        body (JobRunRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | JobRunStarted]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        job_id_or_code=job_id_or_code,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: str,
    job_id_or_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRunRequest | Unset = UNSET,
) -> Error | JobRunStarted | None:
    """Start a job run

     Starts a run of the job.

    Args:
        workspace_id (str):
        job_id_or_code (str):
        body (JobRunRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | JobRunStarted
    """

    return (
        await asyncio_detailed(
            workspace_id=workspace_id,
            job_id_or_code=job_id_or_code,
            client=client,
            body=body,
        )
    ).parsed
