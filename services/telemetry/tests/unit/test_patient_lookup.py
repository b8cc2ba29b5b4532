"""Read your writes for a terminal on no machine now: it may be being bound again, so it is
waited for like an unknown one; after the wait its history answers (decision 92)."""

from __future__ import annotations

from collections.abc import Iterable

from tianmen_telemetry.adapters.patient_lookup import PatientLookup
from tianmen_telemetry.domain.bindings import Binding, Holder, Period

from ..helpers import at

LEFT = at("2026-05-11T10:00:00")
FREED = Binding(None, None, (Period(LEFT, None), Period(None, Holder("m1", "e1"))))
BOUND_AGAIN = Binding("m2", "e1", (Period(LEFT, Holder("m2", "e1")), Period(None, None)))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _lookup(answers: list[Binding]) -> tuple[PatientLookup, list[int]]:
    clock, calls = Clock(), [0]

    def lookup(terminal_ids: Iterable[str]) -> dict[str, Binding]:
        calls[0] += 1
        return {t: answers[min(calls[0], len(answers)) - 1] for t in terminal_ids}

    patient = PatientLookup(lookup, 1.0, sleep=clock.sleep, monotonic=lambda: clock.now)
    return patient, calls


def test_a_terminal_freed_and_bound_again_is_waited_for() -> None:
    patient, calls = _lookup([FREED, FREED, BOUND_AGAIN])
    assert patient(["t1"]) == {"t1": BOUND_AGAIN}
    assert calls[0] == 3


def test_a_terminal_still_on_no_machine_after_the_wait_is_answered_by_its_history() -> None:
    patient, calls = _lookup([FREED])
    assert patient(["t1"]) == {"t1": FREED}
    assert calls[0] > 1  # waited
    assert FREED.holder_at(at("2026-05-11T09:00:00")) == Holder("m1", "e1")
    assert FREED.holder_at(at("2026-05-11T11:00:00")) is None
