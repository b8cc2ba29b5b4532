"""How far each docket is applied, written once a transaction as one upsert: a docket with a row
moves it, a docket without one gets it, in the same flush (on a temp SQLite store)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from tianmen_events import EventMeta
from tianmen_runtime.service import Service
from tianmen_safety.adapters.orm import dockets
from tianmen_safety.adapters.positions import DocketPositions

AT = datetime(2026, 3, 10, 15, 40, tzinfo=UTC)


def _meta(docket_id: str, sequence: int) -> EventMeta:
    return EventMeta(
        id=f"{docket_id}-{sequence}",
        source="/tianmen/safety",
        time=AT,
        subject=docket_id,
        sequence=sequence,
        correlation_id="corr",
    )


def test_one_flush_moves_stored_dockets_and_starts_new_ones(service: Service) -> None:
    with service.engine.begin() as conn:
        first = DocketPositions(conn)
        first.advance(_meta("docket:ent-1", 2))
        first.flush()
    with service.engine.begin() as conn:
        positions = DocketPositions(conn)
        positions.advance(_meta("docket:ent-1", 3))
        positions.advance(_meta("docket:ent-2", 1))
        positions.advance(_meta("docket:ent-1", 5))  # the last of a docket's counts
        positions.flush()
        assert positions.applied("docket:ent-1") == 5  # read back: the stored row
        stored = dict(conn.execute(select(dockets.c.docket_id, dockets.c.projected_through)).all())
    assert stored == {"docket:ent-1": 5, "docket:ent-2": 1}
