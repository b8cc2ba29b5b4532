"""Bounded lists: keyset pages behind opaque, strictly validated cursors.

A cursor is the sort key of the last item a page returned, as base64url JSON. The next page
starts strictly after it, so paging never skips or repeats an item that was there all along,
whatever is added meanwhile, and each page costs the same however long the list grows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, or_, true
from tianmen_events.errors import DomainError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
Key = tuple[str | int, ...]
Item = TypeVar("Item")

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}")
]
Cursor = Annotated[
    str | None,
    Query(
        max_length=512,
        description="`next_cursor` of the previous page, as given; omit for the first page",
    ),
]


class Page(BaseModel, Generic[Item]):
    """One page of a list in its stable order; `next_cursor` is null on the last page."""

    items: list[Item]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")


class InvalidCursor(DomainError):
    def __init__(self) -> None:
        super().__init__("not a cursor this list issued; start again without one", field="cursor")


def encode_cursor(key: Key) -> str:
    raw = json.dumps(list(key), separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(token: str, shape: Sequence[type[str] | type[int]]) -> Key:
    """The key in `token`, or InvalidCursor (422, field `cursor`) unless it is one we issued."""
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        key = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidCursor from exc
    if not (isinstance(key, list) and len(key) == len(shape)):
        raise InvalidCursor
    if any(type(value) is not kind for value, kind in zip(key, shape, strict=True)):
        raise InvalidCursor
    if encode_cursor(tuple(key)) != token:
        raise InvalidCursor  # not in the canonical form we write: a hand-made or altered token
    return tuple(key)


def after(
    columns: Sequence[ColumnElement[Any]], key: Sequence[object] | None, *, descending: bool = False
) -> ColumnElement[bool]:
    """Rows strictly after `key` in the order of `columns`, all ascending or all descending."""
    if key is None:
        return true()
    first, *rest = columns
    head = first < key[0] if descending else first > key[0]
    if not rest:
        return head
    return or_(head, and_(first == key[0], after(rest, key[1:], descending=descending)))


def page_of(
    rows: Sequence[Item], limit: int, key_of: Callable[[Item], Key]
) -> tuple[list[Item], str | None]:
    """`rows` fetched with limit + 1: the page's items and the cursor to the next, if any."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return items, encode_cursor(key_of(items[-1])) if more else None
