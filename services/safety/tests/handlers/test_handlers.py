"""The subscription's handlers against a temp SQLite store, fed records as Kafka would deliver them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.db import events, outbox
from tianmen_runtime.event_store import EventStore
from tianmen_runtime.projection import Poison
from tianmen_runtime.service import Service
from tianmen_runtime.testing import stored_events
from tianmen_safety.adapters import projections
from tianmen_safety.adapters.orm import violations
from tianmen_safety.domain import ledger

SHANGHAI = timezone(timedelta(hours=8))
NIGHT = datetime(2026, 3, 10, 23, 40, tzinfo=SHANGHAI)


def test_alert_opens_a_case_whose_confirmation_appends_the_ledger_events_at_its_time(
    service: Service, make_alert: Callable[..., object], deliver: Callable[..., str]
) -> None:
    assert deliver(service, make_alert("a1", NIGHT), event_id="ce-a1") == "applied"
    docket = "docket:ent-1"
    [opened, confirmed, recorded, deducted] = stored_events(service.engine)
    assert [opened[:4], confirmed[:4]] == [
        (docket, 1, "tianmen.safety.case_opened", "ce-a1"),
        (docket, 2, "tianmen.safety.case_confirmed", "ce-a1"),
    ]
    confirmed_id = _event_id(service, docket, 2)
    assert [recorded, deducted] == [
        ("ent-1", 1, "tianmen.safety.violation_recorded", confirmed_id, NIGHT.isoformat()),
        ("ent-1", 2, "tianmen.safety.points_deducted", confirmed_id, NIGHT.isoformat()),
    ]
    with service.engine.connect() as conn:
        topics = conn.execute(select(outbox.c.topic, outbox.c.key)).all()
    assert [tuple(t) for t in topics] == [("safety.case", b"docket:ent-1")] * 2 + [
        ("safety.enterprise", b"ent-1")
    ] * 2


def _event_id(service: Service, aggregate_id: str, sequence: int) -> str:
    query = select(events.c.event_id).where(
        events.c.aggregate_id == aggregate_id, events.c.sequence == sequence
    )
    with service.engine.connect() as conn:
        return str(conn.execute(query).scalar_one())


def test_duplicate_delivery_is_a_no_op(
    service: Service, make_alert: Callable[..., object], deliver: Callable[..., str]
) -> None:
    alert = make_alert("a1", NIGHT)
    assert deliver(service, alert) == "applied"
    before = (stored_events(service.engine), service.digest())
    assert deliver(service, alert) == "duplicate"
    assert (stored_events(service.engine), service.digest()) == before


def test_same_alert_under_a_new_event_id_records_no_second_violation(
    service: Service, make_alert: Callable[..., object], deliver: Callable[..., str]
) -> None:
    alert = make_alert("a1", NIGHT)
    deliver(service, alert, event_id="ce-first")
    before = (stored_events(service.engine), service.digest())
    assert deliver(service, alert, event_id="ce-second") == "applied"
    assert (stored_events(service.engine), service.digest()) == before


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")
def test_unknown_alert_rule_is_poison_with_the_reason_and_writes_nothing(
    service: Service, make_alert: Callable[..., AlertRaised], deliver: Callable[..., str]
) -> None:
    # A rule this build does not know (a newer telemetry's) does not even decode as an alert.
    unknown = make_alert("a1", NIGHT).model_copy(update={"rule": "teleportation"})
    with pytest.raises(Poison, match=r"rule.*teleportation"):
        deliver(service, unknown)
    assert stored_events(service.engine) == []


def test_stores_fed_the_same_per_enterprise_order_have_equal_digests(
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., object],
    deliver: Callable[..., str],
) -> None:
    live, replayed = service_factory("live"), service_factory("replayed")
    firsts = [
        make_alert(f"x{n}", NIGHT + timedelta(days=n), enterprise_id="ent-x") for n in range(9)
    ]
    seconds = [
        make_alert(f"y{n}", NIGHT + timedelta(days=n), enterprise_id="ent-y") for n in range(3)
    ]
    for n, x in enumerate(firsts):  # live: the two enterprises interleaved
        deliver(live, x)
        if n < len(seconds):
            deliver(live, seconds[n])
    for alert in seconds + firsts:  # replayed: partition by partition
        deliver(replayed, alert)
    assert live.digest() == replayed.digest()
    deliver(replayed, make_alert("x9", NIGHT + timedelta(days=9), enterprise_id="ent-x"))
    assert live.digest() != replayed.digest()


def test_the_ledger_rows_are_a_snapshot_equal_to_folding_the_whole_history(
    service: Service, make_alert: Callable[..., object], deliver: Callable[..., str]
) -> None:
    # Two cycles, both thresholds crossed in 2026, and a late alert about 2026 after 2027 began.
    alerts = [make_alert(f"a{n}", NIGHT + timedelta(hours=n)) for n in range(21)]
    alerts += [make_alert(f"b{n}", NIGHT.replace(year=2027) + timedelta(hours=n)) for n in range(3)]
    alerts.append(make_alert("late", NIGHT + timedelta(days=30)))
    for alert in alerts:
        assert deliver(service, alert) == "applied"
    with service.engine.connect() as conn:
        snapshot = projections.load_ledger(conn, "ent-1")
        history = [r.event for r in EventStore(conn, service.source).load("ent-1")]
    assert snapshot == ledger.fold("ent-1", history)
    assert [(c.year, c.balance, c.key_supervision) for c in snapshot.cycles] == [
        (2026, 0, True),
        (2027, 85, False),
    ]


def test_alerts_applied_in_one_transaction_leave_the_state_of_one_at_a_time(
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., AlertRaised],
    deliver: Callable[..., str],
    deliver_batch: Callable[..., list[str]],
) -> None:
    one_by_one, batched = service_factory("one"), service_factory("batched")
    items: list[tuple[AlertRaised, str | None]] = [
        (make_alert(f"a{n}", NIGHT + timedelta(hours=n), enterprise_id=f"ent-{n % 2}"), None)
        for n in range(25)
    ]
    items.append((items[3][0], "republished-under-a-new-id"))  # already recorded, same batch
    for alert, event_id in items:
        deliver(one_by_one, alert, event_id=event_id)
    assert deliver_batch(batched, items) == ["applied"] * len(items)
    assert batched.digest() == one_by_one.digest()
    with batched.engine.connect() as conn:
        assert len(conn.execute(select(violations)).all()) == 25
