"""Dependencies and parameters shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request
from tianmen_runtime.pages import MAX_LIMIT, Cursor

from tianmen_gateway.adapters.upstream import Upstreams

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


def get_upstreams(request: Request) -> Upstreams:
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


def paging(cursor: Cursor = None, limit: PageLimit = None) -> dict[str, str]:
    """A list's `cursor` and `limit`, as the client gave them."""
    return given(cursor=cursor, limit=limit)


Paging = Annotated[dict[str, str], Depends(paging)]
