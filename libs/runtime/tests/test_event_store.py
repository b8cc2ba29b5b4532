import dataclasses
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select
from tianmen_events import EventMeta, derive_id, encode
from tianmen_events.safety import PointsDeducted
from tianmen_runtime.db import events, make_engine, outbox
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.unit_of_work import unit_of_work

from .conftest import StoreUrl

NOW = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)


@pytest.fixture
def engine(store_url: StoreUrl) -> Engine:
    return make_engine(store_url("store"))


def _deducted(enterprise: str, points: int) -> PointsDeducted:
    return PointsDeducted(
        enterprise_id=enterprise,
        violation_id=f"v{points}",
        points=points,
        balance_after=100 - points,
        cycle_year=2026,
        rule_version="r1",
    )


def _append(engine: Engine, expected: int, *new: PointsDeducted) -> None:
    with unit_of_work(engine, "/tianmen/test") as uow:
        uow.events.append("e1", new, expected_version=expected, time=NOW, correlation_id="c1")


def test_appended_events_load_back_in_order_with_their_meta(engine: Engine) -> None:
    _append(engine, 0, _deducted("e1", 5), _deducted("e1", 3))
    with unit_of_work(engine, "/tianmen/test") as uow:
        loaded = uow.events.load("e1")
        assert uow.events.version("e1") == 2
    assert [r.event.points for r in loaded] == [5, 3]  # type: ignore[attr-defined]
    assert [r.meta.sequence for r in loaded] == [1, 2]
    assert loaded[0].meta.time == NOW


def test_an_appended_events_meta_is_the_one_its_fields_build_and_stays_frozen(
    engine: Engine,
) -> None:
    with unit_of_work(engine, "/tianmen/test") as uow:
        appended = uow.events.append(
            "e1", [_deducted("e1", 5)], expected_version=0, time=NOW, correlation_id="c1"
        )
        loaded = uow.events.load("e1")
    expected = EventMeta(
        derive_id("/tianmen/test", "e1", 1),
        "/tianmen/test",
        NOW,
        "e1",
        1,
        "c1",
        None,
        PointsDeducted.version,
        PointsDeducted.type,
    )
    meta = appended[0].meta
    assert type(meta) is EventMeta
    assert meta == expected == loaded[0].meta
    assert hash(meta) == hash(expected)
    assert repr(meta) == repr(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.sequence = 2  # type: ignore[misc]


def test_every_event_gets_an_outbox_row_in_the_same_transaction(engine: Engine) -> None:
    _append(engine, 0, _deducted("e1", 5))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 1
        row = conn.execute(select(outbox)).one()
    assert row.topic == "safety.enterprise" and row.published is False


def test_the_outbox_row_is_the_message_encode_gives(engine: Engine) -> None:
    # The store writes the outbox from text; the relay must still send what `encode` sends.
    with unit_of_work(engine, "/tianmen/test") as uow:
        uow.events.append(
            "e1", [_deducted("e1", 5)], expected_version=0, time=NOW, correlation_id='c"1\u00e9'
        )
        (appended,) = uow.events.pending
    with engine.connect() as conn:
        row = conn.execute(select(outbox)).one()
    message = encode(appended.event, appended.meta)
    headers = [(k, v.encode()) for k, v in json.loads(row.headers)]
    assert (row.topic, row.key, row.value, headers) == (
        message.topic,
        message.key,
        message.value,
        message.headers,
    )
    assert row.headers == json.dumps([(k, v.decode()) for k, v in message.headers])


def test_stale_expected_version_is_a_conflict_and_writes_nothing(engine: Engine) -> None:
    _append(engine, 0, _deducted("e1", 5))
    with pytest.raises(ConcurrencyConflict):
        _append(engine, 0, _deducted("e1", 7))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 1


def test_event_ids_are_derived_so_a_rebuild_gets_the_same_ids(store_url: StoreUrl) -> None:
    first = make_engine(store_url("a"))
    second = make_engine(store_url("b"))
    for engine in (first, second):
        _append(engine, 0, _deducted("e1", 5))
    ids = []
    for engine in (first, second):
        with engine.connect() as conn:
            ids.append(conn.execute(select(events.c.event_id)).scalar_one())
    assert ids[0] == ids[1]


def test_event_for_another_aggregate_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="belongs to e2"), unit_of_work(engine, "/t") as uow:
        uow.events.append(
            "e1", [_deducted("e2", 1)], expected_version=0, time=NOW, correlation_id="c"
        )


def test_expected_version_ahead_of_the_stream_is_a_conflict_not_a_gap(engine: Engine) -> None:
    with pytest.raises(ConcurrencyConflict, match="at version 0, not the expected 3"):
        _append(engine, 3, _deducted("e1", 5))


def test_versions_read_together_match_each_aggregates_own(engine: Engine) -> None:
    _append(engine, 0, _deducted("e1", 5), _deducted("e1", 3))
    ids = ["e1", "nobody", *(f"other-{n}" for n in range(150))]  # more than one query's worth
    with unit_of_work(engine, "/tianmen/test") as uow:
        uow.events.read_versions(ids)
        together = dict(uow.events.versions)
    with unit_of_work(engine, "/tianmen/test") as uow:
        one_by_one = {aggregate_id: uow.events.version(aggregate_id) for aggregate_id in ids}
    assert together == one_by_one and together["e1"] == 2 and together["nobody"] == 0


def test_each_size_of_versions_query_pairs_every_aggregate_with_its_own_version(
    engine: Engine,
) -> None:
    # the query's branches are compiled once each and joined per size: an aggregate at any
    # place of any size (padded to a power of two) reads its own version, not a neighbour's
    with unit_of_work(engine, "/tianmen/test") as uow:
        for n in range(1, 6):
            new = [_deducted(f"agg-{n}", 1)] * n
            uow.events.append(f"agg-{n}", new, expected_version=0, time=NOW, correlation_id="c")
    for count in (1, 2, 3, 5, 7, 9):
        ids = [f"agg-{n}" for n in range(1, 6)][:count] + [f"none-{n}" for n in range(count - 5)]
        with unit_of_work(engine, "/tianmen/test") as uow:
            uow.events.read_versions(ids)
            assert uow.events.versions == {a: int(a[4:]) if a < "n" else 0 for a in ids}
