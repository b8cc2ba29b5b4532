"""A handler reads the record it applies by its log stamp and partition (`recorded`), set for
its call only: telemetry's binding ends wait for a report of a partition stamped after them
(decision 99)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine
from tianmen_events import EventMeta
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.db import make_engine
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.recorded import recorded_ms, recorded_partition
from tianmen_runtime.unit_of_work import UnitOfWork

from .conftest import StoreUrl
from .deductions import projection_md
from .test_consumer import SUBSCRIPTION, _event, _record

SEEN: list[tuple[int | None, int | None]] = []


def _note(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
    SEEN.append((recorded_ms.get(), recorded_partition.get()))


NOTING = replace(SUBSCRIPTION, handlers=EventHandlers().on(PointsDeducted, _note))


def test_a_handler_sees_its_records_stamp_and_partition_and_nothing_after(
    store_url: StoreUrl,
) -> None:
    engine: Engine = make_engine(store_url("recorded"), projection_md)
    plain = _record(_event("v1"), "id-1", 0, 2)
    stamped = replace(_record(_event("v2"), "id-2", 0, 1), timestamp=1_778_500_000_000)
    SEEN.clear()
    assert apply_batch(engine, NOTING, [plain, stamped]) == ["applied", "applied"]
    assert SEEN == [(None, 2), (1_778_500_000_000, 1)]
    assert (recorded_ms.get(), recorded_partition.get()) == (None, None)
