"""Given history, when a tip is submitted, then these events (or a refusal)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tianmen_events.errors import DomainError
from tianmen_events.registry import TerminalBound
from tianmen_events.reports import TipCategory, TipSubmitted
from tianmen_reports.domain.commands import Contact, SubmitTip
from tianmen_reports.domain.rules import CHINA, TipRules
from tianmen_reports.domain.submission import decide
from tianmen_reports.domain.tip import TipStatus, evolve, fold

NOW = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
RULES = TipRules()


def a_tip(**changes: object) -> SubmitTip:
    tip = SubmitTip(
        tip_id="tip-1",
        category=TipCategory.UNLICENSED_OPERATION,
        description="  塔吊司机无证上岗  ",
        latitude=30.66,
        longitude=113.17,
        anonymous=False,
        contact=Contact(name="张三", phone="13812345678"),
    )
    return replace(tip, **changes)  # type: ignore[arg-type]


def test_a_new_tip_is_submitted_with_has_contact_but_not_the_contact() -> None:
    [event] = decide(None, a_tip(), now=NOW, rules=RULES)
    assert isinstance(event, TipSubmitted)
    assert event.has_contact is True
    assert event.submitted_at == NOW
    dumped = event.model_dump_json()
    assert "13812345678" not in dumped
    assert "张三" not in dumped


def test_the_description_is_stored_trimmed() -> None:
    [event] = decide(None, a_tip(), now=NOW, rules=RULES)
    assert isinstance(event, TipSubmitted)
    assert event.description == "塔吊司机无证上岗"


def test_a_submitted_tip_folds_to_status_submitted() -> None:
    tip = fold(decide(None, a_tip(anonymous=True, contact=None), now=NOW, rules=RULES))
    assert tip is not None
    assert (tip.status, tip.has_contact, tip.category) == (
        TipStatus.SUBMITTED,
        False,
        "unlicensed_operation",
    )


def test_a_retry_of_the_same_submission_decides_nothing() -> None:
    state = fold(decide(None, a_tip(), now=NOW, rules=RULES))
    later = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert decide(state, a_tip(), now=later, rules=RULES) == []


def test_reusing_a_key_for_a_different_tip_is_refused() -> None:
    state = fold(decide(None, a_tip(), now=NOW, rules=RULES))
    with pytest.raises(DomainError) as refused:
        decide(state, a_tip(description="另一件事"), now=NOW, rules=RULES)
    assert refused.value.field == "Idempotency-Key"


def test_an_invalid_tip_is_refused_before_anything_is_decided() -> None:
    with pytest.raises(DomainError) as refused:
        decide(None, a_tip(latitude=95.0), now=NOW, rules=RULES)
    assert refused.value.field == "latitude"


def test_evolve_ignores_events_it_does_not_know() -> None:
    other = TerminalBound(machine_id="m", enterprise_id="e", terminal_id="t")
    assert evolve(None, other) is None


coordinates = st.tuples(
    st.floats(min_value=CHINA.south, max_value=CHINA.north),
    st.floats(min_value=CHINA.west, max_value=CHINA.east),
)


@given(
    where=coordinates,
    category=st.sampled_from(TipCategory),
    text=st.text(min_size=1, max_size=2000).filter(lambda s: s.strip()),
)
def test_any_valid_tip_is_accepted_once_and_its_retry_adds_nothing(
    where: tuple[float, float], category: TipCategory, text: str
) -> None:
    tip = a_tip(latitude=where[0], longitude=where[1], category=category, description=text)
    first = decide(None, tip, now=NOW, rules=RULES)
    state = fold(first)
    assert state is not None
    assert (state.latitude, state.longitude, state.category) == (*where, category.value)
    assert decide(state, tip, now=NOW, rules=RULES) == []
