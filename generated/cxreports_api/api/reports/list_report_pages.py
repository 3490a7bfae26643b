from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.report_page import ReportPage
from ...types import Response


def _get_kwargs(
    workspace_id: str,
    report_id_or_type_code: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ws/{workspace_id}/reports/{report_id_or_type_code}/pages".format(
            workspace_id=quote(str(workspace_id), safe=""),
            report_id_or_type_code=quote(str(report_id_or_type_code), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | list[ReportPage] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = ReportPage.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

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
) -> Response[Error | list[ReportPage]]:
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
) -> Response[Error | list[ReportPage]]:
    """List report pages

     Returns the pages belonging to a report. Useful for targeted exports that exclude specific pages.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ReportPage]]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
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
) -> Error | list[ReportPage] | None:
    """List report pages

     Returns the pages belonging to a report. Useful for targeted exports that exclude specific pages.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ReportPage]
    """

    return sync_detailed(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
        client=client,
    ).parsed


async def asyncio_detailed(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | list[ReportPage]]:
    """List report pages

     Returns the pages belonging to a report. Useful for targeted exports that exclude specific pages.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | list[ReportPage]]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | list[ReportPage] | None:
    """List report pages

     Returns the pages belonging to a report. Useful for targeted exports that exclude specific pages.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | list[ReportPage]
    """

    return (
        await asyncio_detailed(
            workspace_id=workspace_id,
            report_id_or_type_code=report_id_or_type_code,
            client=client,
        )
    ).parsed
