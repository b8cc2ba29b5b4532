"""Expiries on time: given an enterprise restricted by deductions, when event time (any
enterprise's event) passes their expiry, then its row moves and the lifting is published,
with no new fact about that enterprise; a replay in any interleaving ends in the same state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from tianmen_credit.adapters import score_rows
from tianmen_credit.adapters.models import current_model
from tianmen_credit.domain.live import Scored
from tianmen_events import DomainEvent
from tianmen_events.credit import CreditScoreChanged, ProcurementRestrictionChanged
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed, ViolationRecorded
from tianmen_runtime.event_store import EventStore
from tianmen_runtime.service import Service

T0 = datetime(2026, 3, 10, 23, 40, tzinfo=timezone(timedelta(hours=8)))
Deliver = Callable[..., str]
Timed = tuple[DomainEvent, str, datetime]


def _violation(enterprise_id: str, day: int) -> ViolationRecorded:
    return ViolationRecorded(
        enterprise_id=enterprise_id,
        violation_id=f"v-{enterprise_id}-{day}",
        machine_id="machine-1",
        code="night_work_without_permit",
        description="夜间违规作业 / night work outside permitted hours",
        occurred_at=T0 + timedelta(days=day),
        source_event_id=f"alert-{enterprise_id}-{day}",
        source_event_type="tianmen.telemetry.alert_raised",
        points=5,
        rule_version="safety-points/2026.1",
    )


def _restricted(enterprise_id: str) -> list[Timed]:
    """-20 (key supervision) -10 (bidding) from T0, -10 (serious violation) from day 1: 60, D."""
    listed = KeySupervisionListed(
        enterprise_id=enterprise_id, cycle_year=2026, balance=40, rule_version="r"
    )
    suspended = BiddingSuspended(
        enterprise_id=enterprise_id, cycle_year=2026, balance=60, threshold=60, rule_version="r"
    )
    return [
        (listed, f"ce-k-{enterprise_id}", T0),
        (suspended, f"ce-s-{enterprise_id}", T0),
        (_violation(enterprise_id, 1), f"ce-v-{enterprise_id}", T0 + timedelta(days=1)),
    ]


def _other(day: int) -> list[Timed]:
    """Facts about two other enterprises: event time reaches `day` (two subjects vouch for it,
    decision 69)."""
    return [
        (_violation(ent, day), f"ce-{ent}-{day}", T0 + timedelta(days=day))
        for ent in ("ent-other", "ent-third")
    ]


def _row(service: Service, enterprise_id: str) -> Scored:
    with service.engine.connect() as conn:
        return score_rows.load_scores(conn, {enterprise_id}, current_model())[enterprise_id]


def _events(service: Service, enterprise_id: str) -> list[DomainEvent]:
    with service.engine.connect() as conn:
        return [r.event for r in EventStore(conn, service.source).load(enterprise_id)]


def _feed(service: Service, deliver: Deliver, items: list[Timed]) -> None:
    for event, event_id, time in items:
        assert deliver(service, event, event_id, time) == "applied"


def test_an_idle_enterprise_is_lifted_when_event_time_passes_its_deductions(
    service: Service, deliver: Deliver
) -> None:
    _feed(service, deliver, _restricted("ent-1"))
    assert _row(service, "ent-1").restricted
    _feed(service, deliver, _other(200))  # event time passes nothing of ent-1's
    assert (_row(service, "ent-1").score, len(_events(service, "ent-1"))) == (60, 4)
    _feed(service, deliver, _other(400))
    row = _row(service, "ent-1")
    assert (row.score, row.grade, row.restricted) == (100, "A", False)
    assert row.watermark == T0 + timedelta(days=366)  # the violation's expiry, not day 400
    change, lifted = _events(service, "ent-1")[-2:]
    assert isinstance(change, CreditScoreChanged)
    assert (change.score_before, change.score) == (60, 100)
    assert sorted(r.delta for r in change.reasons) == [10, 10, 20]
    assert all("expired" in r.description for r in change.reasons)
    assert isinstance(lifted, ProcurementRestrictionChanged)
    assert (lifted.restricted, lifted.at) == (False, T0 + timedelta(days=365))
    assert lifted.cause_event_id.endswith("#expired")


def test_the_expiry_events_are_dated_at_the_expiry_and_caused_by_what_expired(
    service: Service, deliver: Deliver
) -> None:
    _feed(service, deliver, [*_restricted("ent-1"), *_other(400)])
    with service.engine.connect() as conn:
        recorded = EventStore(conn, service.source).load("ent-1")[-2:]
    assert {r.meta.time for r in recorded} == {T0 + timedelta(days=366)}
    assert {r.meta.causation_id for r in recorded} == {"ce-v-ent-1"}  # expired on day 366


def test_an_expiry_is_published_once_however_often_the_clock_passes_it(
    service: Service, deliver: Deliver
) -> None:
    _feed(service, deliver, [*_restricted("ent-1"), *_other(400)])
    before = (_events(service, "ent-1"), service.digest())
    _feed(service, deliver, [*_other(401), *_other(800)])
    assert _events(service, "ent-1") == before[0]
    assert service.digest() != before[1]  # the clock moved on (and ent-other's row)


def test_the_clock_first_or_the_facts_first_end_in_the_same_state(
    service_factory: Callable[[str], Service], deliver: Deliver
) -> None:
    """A replay may read another topic (the clock's advance) before the enterprise's facts."""
    live, replayed = service_factory("live"), service_factory("replayed")
    _feed(live, deliver, [*_restricted("ent-1"), *_other(400)])
    _feed(replayed, deliver, [*_other(400), *_restricted("ent-1")])
    assert live.digest() == replayed.digest()
    assert _row(replayed, "ent-1") == _row(live, "ent-1")
    assert not any(isinstance(e, ProcurementRestrictionChanged) for e in _events(replayed, "ent-1"))


def test_expiries_in_one_batch_leave_the_state_of_one_at_a_time(
    service_factory: Callable[[str], Service],
    deliver: Deliver,
    deliver_batch: Callable[..., list[str]],
) -> None:
    one_by_one, batched = service_factory("one"), service_factory("batched")
    items = [*_restricted("ent-1"), *_restricted("ent-2"), *_other(370), *_other(400)]
    _feed(one_by_one, deliver, items)
    assert deliver_batch(batched, items) == ["applied"] * len(items)
    assert batched.digest() == one_by_one.digest()
    assert _row(batched, "ent-2") == _row(one_by_one, "ent-2")
    assert not _row(batched, "ent-2").restricted


def test_one_event_dated_far_ahead_expires_nobody_until_a_second_subject_gets_there(
    service: Service, deliver: Deliver
) -> None:
    # given ent-1 restricted and one other enterprise's event dated decades ahead
    _feed(service, deliver, [*_restricted("ent-1"), *_other(2)])
    bad = (_violation("ent-typo", 36_500), "ce-typo", T0 + timedelta(days=36_500))
    _feed(service, deliver, [bad])
    # then the clock has not followed it: ent-1's deductions have not expired
    assert (_row(service, "ent-1").score, _row(service, "ent-1").restricted) == (60, True)
    # when a second subject's event time passes the expiries, they expire
    _feed(service, deliver, [(_violation("ent-later", 400), "ce-later", T0 + timedelta(days=400))])
    assert (_row(service, "ent-1").score, _row(service, "ent-1").restricted) == (100, False)


def test_the_far_dated_event_first_or_last_ends_in_the_same_state(
    service_factory: Callable[[str], Service], deliver: Deliver
) -> None:
    bad = (_violation("ent-typo", 36_500), "ce-typo", T0 + timedelta(days=36_500))
    items = [*_restricted("ent-1"), *_other(2)]
    first, last = service_factory("first"), service_factory("last")
    _feed(first, deliver, [bad, *items])
    _feed(last, deliver, [*items, bad])
    assert _row(first, "ent-1") == _row(last, "ent-1")
    assert (_row(first, "ent-1").score, first.digest()) == (60, last.digest())
