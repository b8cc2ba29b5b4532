"""Dependencies and parameters shared by the routes.

Each dependency is `async def` though none awaits: FastAPI runs a plain `def` dependency in a
worker thread, a hop per dependency per request that costs more than the dependency does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from tianmen_runtime.pages import MAX_LIMIT, Cursor

from tianmen_gateway.adapters.upstream import Upstreams
from tianmen_gateway.identity.principal import Principal
from tianmen_gateway.service_layer.idempotency import Once

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


async def get_upstreams(request: Request) -> Upstreams:
    upstreams: Upstreams = request.app.state.upstreams
    return upstreams


UpstreamsDep = Annotated[Upstreams, Depends(get_upstreams)]
ResourceId = Annotated[str, Path(pattern=ID_PATTERN, description="An id as the service issued it")]
OptionalId = Annotated[str | None, Query(pattern=ID_PATTERN)]
PageLimit = Annotated[
    int | None,
    Query(ge=1, le=MAX_LIMIT, description=f"Items per page (default 50, at most {MAX_LIMIT})"),
]
CycleYear = Annotated[
    int | None, Query(ge=2000, le=9999, description="Cycle year (default: the current one)")
]


def given(**params: str | int | None) -> dict[str, str]:
    """The query parameters the client gave, to forward as they are."""
    return {name: str(value) for name, value in params.items() if value is not None}


async def paging(cursor: Cursor = None, limit: PageLimit = None) -> dict[str, str]:
    """A list's `cursor` and `limit`, as the client gave them."""
    return given(cursor=cursor, limit=limit)


Paging = Annotated[dict[str, str], Depends(paging)]


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Retrying with the same key has one effect and gets the first answer again "
        "(`Idempotent-Replayed: true`); the key is yours alone; reused with another body: 422",
    ),
]


async def once(request: Request, key: IdempotencyKey = None) -> Once:
    principal: Principal = request.state.principal
    client = f"{principal.role.value}:{principal.subject}"
    settings_timeout = request.app.state.upstream_timeout_s
    abandoned = timedelta(seconds=4 * settings_timeout)
    return Once(request.app.state.idempotency, client, key, abandoned)


OnceDep = Annotated[Once, Depends(once)]
