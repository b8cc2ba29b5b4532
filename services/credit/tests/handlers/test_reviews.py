"""The live consumer weighs a timely annual review (credit/2026.3): the due day comes from the
registration it consumed (stored as a fact, read back by a fresh process), a late pass leaves
the score where it was, and any order of the registry's events rebuilds the same digest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from tianmen_credit.adapters import score_rows
from tianmen_credit.adapters.models import current_model
from tianmen_events import DomainEvent
from tianmen_events.registry.lifecycle import (
    AnnualReviewOverdue,
    AnnualReviewPassed,
    RegistrationNumberIssued,
)
from tianmen_runtime.service import Service
from tianmen_runtime.testing import stored_events

SH = timezone(timedelta(hours=8))
DUE = date(2026, 3, 1)
MACHINE = {"machine_id": "m-1", "enterprise_id": "ent-1", "application_id": "app-1"}
Deliver = Callable[..., str]


def history(passed_on: date) -> list[tuple[DomainEvent, str, datetime]]:
    registered = datetime(2025, 3, 1, 10, tzinfo=SH)
    passed = datetime.combine(passed_on, datetime.min.time(), SH) + timedelta(hours=10)
    return [
        (
            RegistrationNumberIssued(
                **MACHINE, registration_number="TM2025-1", next_review_due=DUE
            ),
            "ce-reg",
            registered,
        ),
        (
            AnnualReviewPassed(**MACHINE, next_review_due=passed_on.replace(year=2027)),
            "ce-pass",
            passed,
        ),
    ]


def score(service: Service) -> int:
    with service.engine.connect() as conn:
        return score_rows.load_scores(conn, {"ent-1"}, current_model())["ent-1"].score


def test_a_pass_on_time_raises_the_score_and_a_late_one_does_not(
    service_factory: Callable[[str], Service], deliver: Deliver
) -> None:
    for name, passed_on, expected in (("timely", DUE, 102), ("late", date(2026, 3, 4), 100)):
        first = service_factory(name)
        registration, review = history(passed_on)
        assert deliver(first, *registration) == "applied"
        again = service_factory(name)  # a fresh process: the due day is read from its facts
        assert deliver(again, *registration) == "duplicate"  # its log from the start
        assert deliver(again, *review) == "applied"
        assert score(again) == expected, name
    late = service_factory("late")
    assert [e[2] for e in stored_events(late.engine)] == []  # nothing changed, nothing told


def test_overdue_then_pass_deducts_once_and_the_pass_adds_nothing(
    service: Service, deliver: Deliver
) -> None:
    registration, review = history(date(2026, 3, 5))
    overdue = AnnualReviewOverdue(machine_id="m-1", enterprise_id="ent-1", due_on=DUE)
    for event, event_id, at in (registration, (overdue, "ce-o1", review[2] - timedelta(days=2))):
        assert deliver(service, event, event_id, at) == "applied"
    assert deliver(service, *review) == "applied"
    assert score(service) == 97


def test_the_registry_events_in_any_order_rebuild_the_same_digest(
    service_factory: Callable[[str], Service], deliver: Deliver
) -> None:
    registration, review = history(date(2026, 3, 4))
    overdue = (
        AnnualReviewOverdue(machine_id="m-1", enterprise_id="ent-1", due_on=DUE),
        "ce-o1",
        datetime(2026, 3, 2, 1, tzinfo=SH),
    )
    events = [registration, overdue, review]
    live, replayed = service_factory("live"), service_factory("replayed")
    for event, event_id, at in events:
        deliver(live, event, event_id, at)
    for event, event_id, at in reversed(events):
        deliver(replayed, event, event_id, at)
    assert score(live) == score(replayed) == 97
    assert live.digest() == replayed.digest()
