"""A machine's standing is the event-time fold of what was said of it, in any arrival order."""

from __future__ import annotations

import itertools

from tianmen_telemetry.domain.register import ACTIVE, SUSPENDED, TEST_EXPIRED, Standing
from tianmen_telemetry.domain.standings import REVIEW_PASSED, Said, standing_of

from ..helpers import at

LAPSED = Said(at("2026-05-11T09:00:00"), TEST_EXPIRED, "lapse")
STOPPED = Said(at("2026-05-11T10:00:00"), SUSPENDED, "stop")
PASSED = Said(at("2026-05-11T10:30:00"), REVIEW_PASSED, "passed")  # a stop weighs more
AGAIN = Said(at("2026-05-11T11:00:00"), SUSPENDED, "stop-again")  # already suspended


def test_every_order_gives_the_standing_of_the_event_time_fold() -> None:
    said = [LAPSED, STOPPED, PASSED, AGAIN]
    assert {standing_of(order) for order in itertools.permutations(said)} == {
        Standing(SUSPENDED, STOPPED.at)
    }


def test_a_lapse_while_stopped_changes_nothing_and_a_pass_ends_a_lapse() -> None:
    assert standing_of([STOPPED, Said(at("2026-05-11T10:10:00"), TEST_EXPIRED, "x")]) == (
        Standing(SUSPENDED, STOPPED.at)
    )
    assert standing_of([LAPSED, PASSED]) == Standing(ACTIVE, PASSED.at)
    assert standing_of([PASSED]) == Standing()
