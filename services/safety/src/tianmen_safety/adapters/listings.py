"""The bidding-suspension and key-supervision lists: rows per listing, read as of any moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update
from tianmen_events import DomainEvent
from tianmen_events.safety import (
    BiddingSuspended,
    BiddingSuspensionLifted,
    KeySupervisionDelisted,
    KeySupervisionListed,
)
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.pages import Key, after, page_of

from tianmen_safety.adapters.case_rows import utc
from tianmen_safety.adapters.orm import listings, violations
from tianmen_safety.domain.rules import PointsRules

LISTED: dict[type[DomainEvent], str] = {
    BiddingSuspended: "bidding_suspension",
    KeySupervisionListed: "key_supervision",
}
LIFTED: dict[type[DomainEvent], str] = {
    BiddingSuspensionLifted: "bidding_suspension",
    KeySupervisionDelisted: "key_supervision",
}
LISTINGS: tuple[type[DomainEvent], ...] = (*LISTED, *LIFTED)
_LISTING_TYPES = frozenset(LISTINGS)  # exact types: most events miss, and cheaply so


class Listings:
    """A unit-of-work part: the transaction's new listings inserted together at its flush (an
    insert each cost ~130 us of statement overhead for a row of ~4; bench-fold's replay lists
    each enterprise twice a cycle). A lift updates the rows, so what is pending goes first.
    Nothing reads the table between a batch's handlers (`quiet` runs in the tick, before them
    or after the flush)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[dict[str, object]] = []

    def project(self, recorded: Sequence[Recorded], rules: PointsRules) -> None:
        for item in recorded:
            event = item.event
            if type(event) not in _LISTING_TYPES:
                continue  # most events: a violation and its deduction
            at = utc(item.meta.time)
            if isinstance(event, BiddingSuspended | KeySupervisionListed):
                self.pending.append(_listed(event, item.meta.id, at, rules))
            elif isinstance(event, BiddingSuspensionLifted | KeySupervisionDelisted):
                self.flush()
                _lift(self.conn, event, at)

    def flush(self) -> None:
        insert_rows(self.conn, listings, self.pending)
        self.pending = []


def _listed(
    event: BiddingSuspended | KeySupervisionListed,
    event_id: str,
    at: str | None,
    rules: PointsRules,
) -> dict[str, object]:
    return {
        "event_id": event_id,
        "enterprise_id": event.enterprise_id,
        "cycle_year": event.cycle_year,
        "list": LISTED[type(event)],
        "balance": event.balance if isinstance(event, BiddingSuspended) else 0,
        "listed_at": at,
        "ends_at": utc(rules.cycle_end(event.cycle_year)),
        "lifted_at": None,
        "rule_version": event.rule_version,
    }


def _lift(
    conn: Connection, event: BiddingSuspensionLifted | KeySupervisionDelisted, at: str | None
) -> None:
    open_ = (
        (listings.c.enterprise_id == event.enterprise_id)
        & (listings.c.cycle_year == event.cycle_year)
        & (listings.c.list == LIFTED[type(event)])
        & listings.c.lifted_at.is_(None)
    )
    lifted = getattr(event, "delisted_at", None)  # a rectification period's end
    conn.execute(update(listings).where(open_).values(lifted_at=utc(lifted) or at))


def quiet(conn: Connection, before: datetime, limit: int) -> list[tuple[str, int, datetime]]:
    """Key-supervision listings still open and made before `before` (a rectification period
    ago): (enterprise, cycle, listed at), the earliest first. A past cycle's listing is among
    them: the event that moves the clock past its period may come after the cycle ended (its
    violations came back from the docket after a later event), and the period, if it ended
    within the cycle, still delists it at its end (`domain/delisting.py` decides). Listings are
    tens a year, so the ones whose period outlasted their cycle stay within `limit`."""
    query = (
        select(listings.c.enterprise_id, listings.c.cycle_year, listings.c.listed_at)
        .where(listings.c.list == "key_supervision", listings.c.lifted_at.is_(None))
        .where(listings.c.listed_at <= utc(before))
        .order_by(listings.c.listed_at, listings.c.event_id)
        .limit(limit)
    )
    return [(r[0], r[1], datetime.fromisoformat(r[2])) for r in conn.execute(query)]


def last_violation_at(conn: Connection, enterprise_id: str, cycle_year: int) -> datetime | None:
    """When the cycle's latest unrevoked violation happened (times compared as times)."""
    query = select(violations.c.occurred_at).where(
        violations.c.enterprise_id == enterprise_id,
        violations.c.cycle_year == cycle_year,
        violations.c.revoked.is_(False),
    )
    return max((datetime.fromisoformat(r[0]) for r in conn.execute(query)), default=None)


def listed_page(
    conn: Connection, name: str, as_of: datetime, cursor: Key | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Who was on the list at `as_of`, in the order they were listed."""
    moment = utc(as_of)
    order = (listings.c.listed_at, listings.c.event_id)
    query = (
        select(listings)
        .where(listings.c.list == name, listings.c.listed_at <= moment)
        .where(listings.c.ends_at > moment)
        .where(or_(listings.c.lifted_at.is_(None), listings.c.lifted_at > moment))
        .where(after(order, cursor))
        .order_by(*order)
        .limit(limit + 1)
    )
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return page_of(rows, limit, lambda row: (row["listed_at"], row["event_id"]))
