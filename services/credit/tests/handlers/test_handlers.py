"""The subscription's handlers against a temp SQLite store, fed records as Kafka would deliver them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from tianmen_credit.adapters import score_rows
from tianmen_credit.adapters.fact_rows import load_facts
from tianmen_credit.adapters.models import current_model
from tianmen_credit.adapters.orm import scores
from tianmen_credit.bootstrap import build
from tianmen_credit.config import Settings
from tianmen_credit.domain.ledger import ledger_of
from tianmen_credit.domain.live import scored
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.credit import ProcurementRestrictionChanged
from tianmen_events.registry.lifecycle import AnnualReviewOverdue
from tianmen_events.registry.sites import MaintenanceRecorded
from tianmen_events.reports import TipCategory, TipVerified
from tianmen_events.safety import BiddingSuspended, PointsDeducted, ViolationRecorded
from tianmen_runtime.db import outbox
from tianmen_runtime.event_store import EventStore
from tianmen_runtime.projection import Poison, apply_batch, apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import TopicLog, stored_events

SHANGHAI = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 10, 23, 40, tzinfo=SHANGHAI)
Deliver = Callable[..., str]


def violation(n: int, enterprise_id: str = "ent-1") -> ViolationRecorded:
    return ViolationRecorded(
        enterprise_id=enterprise_id,
        violation_id=f"v{n}",
        machine_id="machine-1",
        code="night_work_without_permit",
        description="夜间违规作业 / night work outside permitted hours",
        occurred_at=T0 + timedelta(days=n),
        source_event_id=f"alert-{n}",
        source_event_type="tianmen.telemetry.alert_raised",
        points=5,
        rule_version="safety-points/2026.1",
    )


def test_violation_appends_a_score_change_caused_by_it_at_its_time(
    service: Service, deliver: Deliver
) -> None:
    assert deliver(service, violation(1), "ce-v1", T0) == "applied"
    assert stored_events(service.engine) == [
        ("ent-1", 1, "tianmen.credit.credit_score_changed", "ce-v1", T0.isoformat())
    ]
    with service.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.topic, outbox.c.key)).all()
    assert [tuple(r) for r in rows] == [("credit.enterprise", b"ent-1")]


def test_points_deducted_is_ignored(service: Service, deliver: Deliver) -> None:
    deducted = PointsDeducted(
        enterprise_id="ent-1",
        violation_id="v1",
        points=5,
        balance_after=95,
        cycle_year=2026,
        rule_version="r",
    )
    assert deliver(service, deducted, "ce-d1") == "ignored"
    assert stored_events(service.engine) == []


def test_duplicate_delivery_is_a_no_op(service: Service, deliver: Deliver) -> None:
    assert deliver(service, violation(1), "ce-v1") == "applied"
    before = (stored_events(service.engine), service.digest())
    assert deliver(service, violation(1), "ce-v1") == "duplicate"
    assert (stored_events(service.engine), service.digest()) == before


def test_stores_fed_the_same_per_enterprise_order_have_equal_digests(
    service_factory: Callable[[str], Service], deliver: Deliver
) -> None:
    live, replayed = service_factory("live"), service_factory("replayed")
    suspended = BiddingSuspended(
        enterprise_id="ent-x", cycle_year=2026, balance=60, threshold=60, rule_version="r"
    )
    xs = [(violation(n, "ent-x"), f"ce-x{n}") for n in range(4)] + [(suspended, "ce-xs")]
    ys = [(violation(n, "ent-y"), f"ce-y{n}") for n in range(2)]
    for n, (fact, event_id) in enumerate(xs):  # live: the two enterprises interleaved
        deliver(live, fact, event_id, T0 + timedelta(hours=n))
        if n < len(ys):
            deliver(live, ys[n][0], ys[n][1], T0 + timedelta(hours=n))
    for n, (fact, event_id) in enumerate(ys):  # replayed: partition by partition
        deliver(replayed, fact, event_id, T0 + timedelta(hours=n))
    for n, (fact, event_id) in enumerate(xs):
        deliver(replayed, fact, event_id, T0 + timedelta(hours=n))
    assert live.digest() == replayed.digest()
    deliver(replayed, violation(9, "ent-y"), "ce-y9")
    assert live.digest() != replayed.digest()


def test_a_fact_republished_after_the_duplicate_window_is_still_counted_once(
    service: Service, deliver: Deliver
) -> None:
    assert service.subscription is not None
    service.subscription = replace(service.subscription, duplicate_window=1)
    deliver(service, violation(1), "ce-v1")
    for n in range(2, 5):
        deliver(service, violation(n), f"ce-v{n}")
    before = (stored_events(service.engine), service.digest())
    assert deliver(service, violation(1), "ce-v1") == "applied"  # the runtime forgot its id
    assert (stored_events(service.engine), service.digest()) == before


def test_the_score_row_is_a_snapshot_equal_to_folding_the_whole_history(
    service: Service, deliver: Deliver
) -> None:
    suspended = BiddingSuspended(
        enterprise_id="ent-1", cycle_year=2026, balance=60, threshold=60, rule_version="r"
    )
    for n in range(1, 6):
        deliver(service, violation(n), f"ce-v{n}")
    deliver(service, suspended, "ce-s")
    model = current_model()
    with service.engine.connect() as conn:
        snapshot = score_rows.load_scores(conn, {"ent-1"}, model)["ent-1"]
        ledger = ledger_of("ent-1", load_facts(conn, "ent-1"), model)
        history = [r.event for r in EventStore(conn, service.source).load("ent-1")]
    assert snapshot == scored(ledger, model, T0 + timedelta(days=5))
    assert (snapshot.score, snapshot.grade, snapshot.restricted) == (40, "D", True)
    imposed = [e for e in history if isinstance(e, ProcurementRestrictionChanged)]
    assert imposed == [
        ProcurementRestrictionChanged(
            enterprise_id="ent-1",
            restricted=True,
            grade="D",
            score=60,
            at=T0 + timedelta(days=4),
            model_version=model.version,
            cause_event_id="ce-v4",
        )
    ]


def test_facts_applied_in_one_transaction_leave_the_state_of_one_at_a_time(
    service_factory: Callable[[str], Service],
    deliver: Deliver,
    deliver_batch: Callable[..., list[str]],
) -> None:
    one_by_one, batched = service_factory("one"), service_factory("batched")
    items: list[tuple[DomainEvent, str]] = [
        (violation(n, enterprise_id=f"ent-{n % 3}"), f"ce-v{n}") for n in range(20)
    ]
    items.append(
        (
            BiddingSuspended(
                enterprise_id="ent-1", cycle_year=2026, balance=60, threshold=60, rule_version="r"
            ),
            "ce-s",
        )
    )
    for event, event_id in items:
        deliver(one_by_one, event, event_id)
    assert deliver_batch(batched, items) == ["applied"] * len(items)
    assert batched.digest() == one_by_one.digest()


def _other_topics(enterprise_id: str) -> list[tuple[DomainEvent, str]]:
    """Facts credit counts from the registry's and reports' topics."""
    verified = T0 + timedelta(days=2)
    tip = TipVerified(
        tip_id="tip-1",
        category=TipCategory.DUST_AND_NOISE,
        violation_code="construction_dust",
        enterprise_id=enterprise_id,
        major_hazard=True,
        jurisdiction="429006",
        latitude=30.65,
        longitude=113.16,
        observed_at=verified,
        verified_at=verified,
        verifier="inspector-1",
    )
    kept = MaintenanceRecorded(
        machine_id="machine-1",
        enterprise_id=enterprise_id,
        performed_on=(T0 + timedelta(days=3)).date(),
        kind="self_inspection",
        provider="SANY",
    )
    return [(tip, "ce-t1"), (kept, "ce-m1")]


def test_tips_and_maintenance_move_the_live_score_under_the_model_as_data(
    service: Service, deliver: Deliver
) -> None:
    for event, event_id in _other_topics("ent-1"):
        assert deliver(service, event, event_id) == "applied"
    with service.engine.connect() as conn:
        row = score_rows.load_scores(conn, {"ent-1"}, current_model())["ent-1"]
    assert (row.score, row.grade) == (100 - 3 - 10 + 1, "B")  # tip, its major hazard, self-check
    changes = [e for _, _, e, _, _ in stored_events(service.engine)]
    assert changes == ["tianmen.credit.credit_score_changed"] * 2


def test_any_interleaving_of_the_topics_rebuilds_the_same_state(
    service_factory: Callable[[str], Service], deliver: Deliver
) -> None:
    """An enterprise's facts come on four topics, so a replay may interleave them otherwise."""
    safety = [(violation(n), f"ce-v{n}") for n in range(1, 6)]
    others = _other_topics("ent-1")
    live, replayed = service_factory("live"), service_factory("replayed")
    for event, event_id in safety + others:
        deliver(live, event, event_id)
    for event, event_id in others + safety:
        deliver(replayed, event, event_id)
    assert live.digest() == replayed.digest()
    with live.engine.connect() as a, replayed.engine.connect() as b:
        assert score_rows.load_scores(a, {"ent-1"}, current_model()) == score_rows.load_scores(
            b, {"ent-1"}, current_model()
        )


def test_a_violation_the_model_cannot_weigh_is_dead_lettered(
    tmp_path: Path, deliver: Deliver
) -> None:
    model = replace(current_model(), per_violation_point={})
    unweighted = build(Settings(database_url=f"sqlite:///{tmp_path}/u.db"), model=model)
    with pytest.raises(Poison, match=r"has no credit effect in credit/2026\.3"):
        deliver(unweighted, violation(1), "ce-v1")
    assert stored_events(unweighted.engine) == []


def test_a_ledger_kept_in_memory_is_not_used_once_another_writer_added_a_fact(
    tmp_path: Path, deliver: Deliver, service_factory: Callable[[str], Service]
) -> None:
    """Two workers on one store (an enterprise's facts come on four topics, each its own
    partition assignment): each sees the other's facts, as one worker would."""
    url = f"sqlite:///{tmp_path}/shared.db"
    workers = build(Settings(database_url=url)), build(Settings(database_url=url))
    one = service_factory("one")
    log = TopicLog()  # one log: the workers share the store's record of what was applied
    items = [(violation(n), f"ce-v{n}") for n in range(1, 5)] + _other_topics("ent-1")
    for n, (event, event_id) in enumerate(items):
        meta = EventMeta(event_id, "/tianmen/safety", T0, event.subject_id(), n + 1, event_id)
        record = log.record(event, meta)
        worker = workers[n % 2]
        assert worker.subscription is not None
        assert apply_record(worker.engine, worker.subscription, record) == "applied"
        deliver(one, event, event_id)
    assert workers[0].digest() == one.digest()


def test_an_overdue_review_is_counted_and_deducts_3_under_the_current_model(
    service: Service, deliver: Deliver
) -> None:
    overdue = AnnualReviewOverdue(machine_id="m-1", enterprise_id="ent-1", due_on=T0.date())
    assert deliver(service, overdue, "ce-o1") == "applied"
    with service.engine.connect() as conn:
        (found,) = load_facts(conn, "ent-1")
        row = score_rows.load_scores(conn, {"ent-1"}, current_model())["ent-1"]
    assert (found.kind, found.target, row.score) == ("annual_review_overdue", "m-1", 97)
    assert [e[2] for e in stored_events(service.engine)] == ["tianmen.credit.credit_score_changed"]


def test_one_batch_updates_stored_rows_and_inserts_new_ones(service: Service) -> None:
    """ent-1's row is stored by a first transaction; a second one moves it and stores
    ent-2's and ent-3's: each row equals folding its enterprise's facts."""
    subscription = service.subscription
    assert subscription is not None
    log = TopicLog(partitions=1)

    def batch(items: list[tuple[int, str]]) -> list[str]:
        records = [
            log.record(
                violation(n, e), EventMeta(f"ce-{e}-{n}", "/s", T0 + timedelta(days=n), e, n, "c")
            )
            for n, e in items
        ]
        return [str(o) for o in apply_batch(service.engine, subscription, records)]

    assert batch([(1, "ent-1")]) == ["applied"]
    assert batch([(n, e) for n in (2, 3) for e in ("ent-1", "ent-2", "ent-3")]) == ["applied"] * 6
    model = current_model()
    with service.engine.connect() as conn:
        rows = score_rows.load_rows(conn, {"ent-1", "ent-2", "ent-3"}, model)
        stored = conn.execute(select(func.count()).select_from(scores)).scalar_one()
        folded = {e: ledger_of(e, load_facts(conn, e), model) for e in rows}
    assert stored == 3
    assert {e: count for e, (_, count) in rows.items()} == {"ent-1": 3, "ent-2": 2, "ent-3": 2}
    for e, (row, _) in rows.items():
        assert row == scored(folded[e], model, T0 + timedelta(days=3))
    assert rows["ent-1"][0].score < rows["ent-2"][0].score  # ent-1's first violation counts


def _rows_after(batches: list[list[tuple[int, str]]], folder: str) -> object:
    """The score rows (and fact counts) after the batches, each one transaction, in order."""
    service = build(Settings(database_url=f"sqlite:///{folder}/credit.db"))
    subscription = service.subscription
    assert subscription is not None
    log = TopicLog(partitions=1)
    for items in batches:
        records = [
            log.record(
                violation(n, e), EventMeta(f"ce-{e}-{n}", "/s", T0 + timedelta(days=n), e, n, "c")
            )
            for n, e in items
        ]
        assert {str(o) for o in apply_batch(service.engine, subscription, records)} == {"applied"}
    with service.engine.connect() as conn:
        return score_rows.load_rows(conn, {"ent-1", "ent-2"}, current_model())


@settings(max_examples=50, deadline=None)
@given(
    st.permutations([(n, e) for n in range(1, 9) for e in ("ent-1", "ent-2")]),
    st.lists(st.integers(1, 6), min_size=1, max_size=16),
)
def test_any_arrival_order_and_batching_ends_in_the_rows_of_event_time_order(
    arrivals: list[tuple[int, str]], sizes: list[int]
) -> None:
    """Facts late within a transaction or across transactions (the refold from the ledger
    as read, and from the stored facts) end where delivering them in order ends."""
    batches, at = [], 0
    for size in sizes * len(arrivals):
        if at < len(arrivals):
            batches.append(arrivals[at : at + size])
            at += size
    ordered = sorted(arrivals)
    with tempfile.TemporaryDirectory() as late, tempfile.TemporaryDirectory() as in_order:
        assert _rows_after(batches, late) == _rows_after([ordered], in_order)
