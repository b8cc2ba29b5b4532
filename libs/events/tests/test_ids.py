import uuid

import pytest
from tianmen_events import derive_id
from tianmen_events.ids import NAMESPACE


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
