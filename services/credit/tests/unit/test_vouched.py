"""The clock's time, vouched for by two subjects (decision 69): a function of the set of
(subject, event time) pairs, whatever their order or batching; one subject alone never moves it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tianmen_credit.domain.vouched import Lead, leading, vouched

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_one_subject_alone_does_not_move_the_clock_however_far_ahead() -> None:
    leads = leading([], [("ent-1", T0), ("ent-1", T0 + timedelta(days=30_000))])
    assert vouched(leads) is None


def test_the_clock_is_the_latest_time_two_subjects_reached() -> None:
    seen = [("a", T0 + timedelta(days=9_000)), ("b", T0 + timedelta(days=3)), ("c", T0)]
    assert vouched(leading([], seen)) == T0 + timedelta(days=3)


pairs = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]),
        st.integers(0, 50).map(lambda d: T0 + timedelta(days=d)),
    ),
    max_size=20,
)


@given(pairs, st.randoms(use_true_random=False), st.integers(1, 5))
def test_any_order_and_batching_gives_the_same_leads(
    seen: list[Lead], rnd: object, size: int
) -> None:
    shuffled = list(seen)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    leads: list[Lead] = []
    for start in range(0, len(shuffled), size):
        leads = leading(leads, shuffled[start : start + size])
    assert leads == leading([], seen)
    latest: dict[str, datetime] = {}
    for subject, at in seen:
        latest[subject] = max(at, latest.get(subject, at))
    ranked = sorted(latest.values(), reverse=True)
    assert vouched(leads) == (ranked[1] if len(ranked) > 1 else None)
