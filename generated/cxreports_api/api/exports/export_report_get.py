from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.export_format import ExportFormat
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    params: str | Unset = UNSET,
    data: str | Unset = UNSET,
    temp_data_id: int | Unset = UNSET,
    lang: str | Unset = UNSET,
    timezone: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
    include_attachments: bool | Unset = UNSET,
    template: str | Unset = UNSET,
    theme: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
) -> dict[str, Any]:

    query: dict[str, Any] = {}

    query["params"] = params

    query["data"] = data

    query["tempDataId"] = temp_data_id

    query["lang"] = lang

    query["timezone"] = timezone

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_

    query["format"] = json_format_

    query["includeAttachments"] = include_attachments

    query["template"] = template

    query["theme"] = theme

    query["nonce"] = nonce

    query = {k: v for k, v in query.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ws/{workspace_id}/reports/{report_id_or_type_code}/pdf".format(
            workspace_id=quote(str(workspace_id), safe=""),
            report_id_or_type_code=quote(str(report_id_or_type_code), safe=""),
        ),
        "params": query,
    }

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
    params: str | Unset = UNSET,
    data: str | Unset = UNSET,
    temp_data_id: int | Unset = UNSET,
    lang: str | Unset = UNSET,
    timezone: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
    include_attachments: bool | Unset = UNSET,
    template: str | Unset = UNSET,
    theme: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
) -> Response[Error | File]:
    """Export synchronously (GET)

     Exports a report and returns the file directly. Parameters are passed as query strings.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        params (str | Unset):
        data (str | Unset):
        temp_data_id (int | Unset):
        lang (str | Unset):
        timezone (str | Unset):
        format_ (ExportFormat | Unset): Output format
        include_attachments (bool | Unset):
        template (str | Unset):
        theme (str | Unset):
        nonce (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
        params=params,
        data=data,
        temp_data_id=temp_data_id,
        lang=lang,
        timezone=timezone,
        format_=format_,
        include_attachments=include_attachments,
        template=template,
        theme=theme,
        nonce=nonce,
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
    params: str | Unset = UNSET,
    data: str | Unset = UNSET,
    temp_data_id: int | Unset = UNSET,
    lang: str | Unset = UNSET,
    timezone: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
    include_attachments: bool | Unset = UNSET,
    template: str | Unset = UNSET,
    theme: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
) -> Error | File | None:
    """Export synchronously (GET)

     Exports a report and returns the file directly. Parameters are passed as query strings.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        params (str | Unset):
        data (str | Unset):
        temp_data_id (int | Unset):
        lang (str | Unset):
        timezone (str | Unset):
        format_ (ExportFormat | Unset): Output format
        include_attachments (bool | Unset):
        template (str | Unset):
        theme (str | Unset):
        nonce (str | Unset):

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
        params=params,
        data=data,
        temp_data_id=temp_data_id,
        lang=lang,
        timezone=timezone,
        format_=format_,
        include_attachments=include_attachments,
        template=template,
        theme=theme,
        nonce=nonce,
    ).parsed


async def asyncio_detailed(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
    params: str | Unset = UNSET,
    data: str | Unset = UNSET,
    temp_data_id: int | Unset = UNSET,
    lang: str | Unset = UNSET,
    timezone: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
    include_attachments: bool | Unset = UNSET,
    template: str | Unset = UNSET,
    theme: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
) -> Response[Error | File]:
    """Export synchronously (GET)

     Exports a report and returns the file directly. Parameters are passed as query strings.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        params (str | Unset):
        data (str | Unset):
        temp_data_id (int | Unset):
        lang (str | Unset):
        timezone (str | Unset):
        format_ (ExportFormat | Unset): Output format
        include_attachments (bool | Unset):
        template (str | Unset):
        theme (str | Unset):
        nonce (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
    """

    kwargs = _get_kwargs(
        workspace_id=workspace_id,
        report_id_or_type_code=report_id_or_type_code,
        params=params,
        data=data,
        temp_data_id=temp_data_id,
        lang=lang,
        timezone=timezone,
        format_=format_,
        include_attachments=include_attachments,
        template=template,
        theme=theme,
        nonce=nonce,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workspace_id: str,
    report_id_or_type_code: str,
    *,
    client: AuthenticatedClient | Client,
    params: str | Unset = UNSET,
    data: str | Unset = UNSET,
    temp_data_id: int | Unset = UNSET,
    lang: str | Unset = UNSET,
    timezone: str | Unset = UNSET,
    format_: ExportFormat | Unset = UNSET,
    include_attachments: bool | Unset = UNSET,
    template: str | Unset = UNSET,
    theme: str | Unset = UNSET,
    nonce: str | Unset = UNSET,
) -> Error | File | None:
    """Export synchronously (GET)

     Exports a report and returns the file directly. Parameters are passed as query strings.

    Args:
        workspace_id (str):
        report_id_or_type_code (str):
        params (str | Unset):
        data (str | Unset):
        temp_data_id (int | Unset):
        lang (str | Unset):
        timezone (str | Unset):
        format_ (ExportFormat | Unset): Output format
        include_attachments (bool | Unset):
        template (str | Unset):
        theme (str | Unset):
        nonce (str | Unset):

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
            params=params,
            data=data,
            temp_data_id=temp_data_id,
            lang=lang,
            timezone=timezone,
            format_=format_,
            include_attachments=include_attachments,
            template=template,
            theme=theme,
            nonce=nonce,
        )
    ).parsed
