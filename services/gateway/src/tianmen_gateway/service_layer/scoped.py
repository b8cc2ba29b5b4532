"""Lists filtered to what the caller may see, with the service's cursor kept as it is.

The gateway filters each page the service returns (the services' list queries know no
jurisdiction yet): a page may hold fewer items than `limit`, even none, while `next_cursor`
still leads on, so paging stays exact (nothing skipped, nothing repeated). For an enterprise
user the gateway also passes their enterprise as the service's filter, so their pages are full.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from fastapi import Response
from pydantic import BaseModel
from tianmen_runtime.pages import Page

from tianmen_gateway.adapters.upstream import Upstreams, conform, passthrough
from tianmen_gateway.identity.principal import Role
from tianmen_gateway.identity.scope import Visibility

Item = TypeVar("Item", bound=BaseModel)


async def visible_page(
    upstreams: Upstreams,
    service: str,
    path: str,
    item: type[Item],
    params: Mapping[str, str],
    keep: Callable[[Item], Awaitable[bool]],
) -> Response:
    response = await upstreams.call(service, "GET", path, params=params)
    if not response.is_success:
        return passthrough(response)
    page: Page[Any] = conform(service, response, Page[item])  # type: ignore[valid-type]
    items = [one for one in page.items if await keep(one)]
    body = Page[item](items=items, next_cursor=page.next_cursor)  # type: ignore[valid-type]
    return Response(body.model_dump_json(), media_type="application/json")


def own_enterprise(seen: Visibility, params: dict[str, str]) -> dict[str, str]:
    """An enterprise user's list asks the service for their enterprise only."""
    principal = seen.principal
    if (
        principal.role is Role.ENTERPRISE
        and principal.enterprise_id
        and "enterprise_id" not in params
    ):
        return {**params, "enterprise_id": principal.enterprise_id}
    return params
