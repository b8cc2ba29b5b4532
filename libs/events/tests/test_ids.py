import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_events import derive_id
from tianmen_events.ids import NAMESPACE, ids_under


@pytest.mark.parametrize(
    "parts",
    [
        ("enterprise", "91420000MA4K0001X"),
        ("/tianmen/safety", "ent-1", 17),
        ("violation", "2b8f0a7e-0d5c-5c1e-9d7e-3f1a2b4c5d6e"),
        ("天门", "机械", 0),
        (),
    ],
)
def test_a_derived_id_is_the_uuid5_of_its_parts(parts: tuple[object, ...]) -> None:
    # Ids derived before and after the fast path must be the same, or a replay would derive
    # other ids than the live store holds.
    expected = str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))
    assert derive_id(*parts) == expected


def test_derived_ids_differ_by_their_parts() -> None:
    assert derive_id("a", 1) != derive_id("a", 2)
    assert derive_id("a", 1) == derive_id("a", 1)


_PART = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))


@settings(max_examples=2_000, deadline=None)
@given(st.lists(_PART, max_size=5))
def test_any_parts_give_the_uuid5_of_their_text(parts: list[object]) -> None:
    # Every hex digit a SHA-1 can put where uuid5 sets the version and the variant, and text
    # of any script, ints, and the other types `str` turns into text: the ids replay derives.
    expected = str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))
    assert derive_id(*parts) == expected


def test_the_variant_digit_keeps_its_two_low_bits() -> None:
    # the 17th hex digit is 8, 9, a or b for the 16 values a hash puts there
    seen = {derive_id("variant", n)[19] for n in range(400)}
    assert seen == set("89ab")
    assert {derive_id("version", n)[14] for n in range(50)} == {"5"}


@settings(max_examples=2_000, deadline=None)
@given(st.lists(st.text(), max_size=4), _PART)
def test_ids_under_shared_parts_are_the_uuid5_of_all_their_parts(
    parts: list[str], last: object
) -> None:
    # The event store derives an append's ids from its source and aggregate hashed once: the
    # same ids `derive_id` (and uuid5) give, or a replay would store other ids than live.
    expected = str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in [*parts, last])))
    assert ids_under(*parts)(last) == expected == derive_id(*parts, last)


def test_ids_under_the_same_parts_are_independent_of_the_order_asked() -> None:
    # each id from a copy of the hashed prefix: asking one never changes the next
    derive = ids_under("/tianmen/safety", "docket-ent-1")
    assert [derive(n) for n in (3, 1, 3)] == [
        derive_id("/tianmen/safety", "docket-ent-1", n) for n in (3, 1, 3)
    ]
