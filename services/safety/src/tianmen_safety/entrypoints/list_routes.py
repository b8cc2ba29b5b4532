"""HTTP: the bidding-suspension and key-supervision lists as of any moment (default: now)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_safety.adapters import listings
from tianmen_safety.entrypoints.schemas import ListingView

ListName = Annotated[
    Literal["bidding-suspension", "key-supervision"], Path(description="Which list")
]


def list_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/lists")

    @router.get("/{name}", response_model=Page[ListingView], responses=problems(422))
    def get_list(
        name: ListName,
        as_of: datetime | None = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """Who was on the list at `as_of`: listed by then, not lifted, its cycle not over."""
        key = decode_cursor(cursor, (str, str)) if cursor else None
        moment = as_of or clock()
        with service.engine.connect() as conn:
            items, after = listings.listed_page(conn, name.replace("-", "_"), moment, key, limit)
        return {"items": items, "next_cursor": after}

    return router
