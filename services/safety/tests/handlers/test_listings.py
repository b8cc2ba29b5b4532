"""The listings' rows on a temp SQLite store: a transaction's new listings are written at its
flush, in one insert, and a lift in the same transaction still finds the listing it ends."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety import BiddingSuspended, BiddingSuspensionLifted
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.service import Service
from tianmen_safety.adapters.listings import Listings
from tianmen_safety.adapters.orm import listings
from tianmen_safety.domain.rules import RULES

LISTED_AT = datetime(2026, 3, 10, 15, 40, tzinfo=UTC)
LIFTED_AT = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)


def _recorded(event: DomainEvent, sequence: int, at: datetime) -> Recorded:
    meta = EventMeta(
        id=f"listing-test-{sequence}",
        source="safety",
        time=at,
        subject="ent-1",
        sequence=sequence,
        correlation_id="c",
        causation_id="cause",
        schema_version=event.version,
        type=event.type,
    )
    return Recorded(event, meta)


def _suspended() -> BiddingSuspended:
    return BiddingSuspended(
        enterprise_id="ent-1",
        cycle_year=2026,
        balance=8,
        threshold=RULES.bidding_suspension_at,
        rule_version=RULES.version,
    )


def test_a_transactions_listings_are_written_at_its_flush(service: Service) -> None:
    with service.engine.begin() as conn:
        rows = Listings(conn)
        rows.project([_recorded(_suspended(), 1, LISTED_AT)], RULES)
        assert conn.execute(select(listings)).all() == []  # nothing written before the flush
        rows.flush()
        (row,) = conn.execute(select(listings)).all()
    assert (row.list, row.balance, row.listed_at, row.lifted_at) == (
        "bidding_suspension",
        8,
        "2026-03-10T15:40:00+00:00",
        None,
    )


def test_a_lift_in_the_same_transaction_ends_the_listing_still_pending(service: Service) -> None:
    lifted = BiddingSuspensionLifted(
        enterprise_id="ent-1",
        cycle_year=2026,
        balance=20,
        threshold=RULES.bidding_suspension_at,
        rule_version=RULES.version,
    )
    with service.engine.begin() as conn:
        rows = Listings(conn)
        rows.project([_recorded(_suspended(), 1, LISTED_AT)], RULES)
        rows.project([_recorded(lifted, 2, LIFTED_AT)], RULES)
        rows.flush()
        (row,) = conn.execute(select(listings)).all()
    assert row.lifted_at == "2026-03-11T02:00:00+00:00"
