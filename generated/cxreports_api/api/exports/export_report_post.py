from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.export_request import ExportRequest
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    body: ExportRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ws/{workspace_id}/reports/{report_id_or_type_code}/pdf".format(
            workspace_id=quote(str(workspace_id), safe=""),
            report_id_or_type_code=quote(str(report_id_or_type_code), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[Error | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExportRequest | Unset = UNSET,
) -> Response[Error | File]:
    """Export synchronously (POST)

     Same as the GET export, but accepts parameters as a JSON body. Prefer this when passing large data
    payloads.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        body (ExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExportRequest | Unset = UNSET,
) -> Error | File | None:
    """Export synchronously (POST)

     Same as the GET export, but accepts parameters as a JSON body. Prefer this when passing large data
    payloads.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        body (ExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return sync_detailed(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExportRequest | Unset = UNSET,
) -> Response[Error | File]:
    """Export synchronously (POST)

     Same as the GET export, but accepts parameters as a JSON body. Prefer this when passing large data
    payloads.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        body (ExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
    body: ExportRequest | Unset = UNSET,
) -> Error | File | None:
    """Export synchronously (POST)

     Same as the GET export, but accepts parameters as a JSON body. Prefer this when passing large data
    payloads.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        body (ExportRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return (
        await asyncio_detailed(
            workspace_id=workspace_id,
            report_id_or_type_code=report_id_or_type_code,
            client=client,
            body=body,
        )
    ).parsed
