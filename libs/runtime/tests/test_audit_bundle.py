"""Audit bundles: what was written reads back; any byte changed anywhere fails to verify."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_runtime.audit_bundle import BundleError, read_bundle, write_bundle
from tianmen_runtime.divergence import first_divergence

HEADER = {"about": "ent-1", "model": {"version": "m/1"}}
ENTRIES = [{"id": f"e{n}", "payload": {"points": n, "note": "夜间"}} for n in range(5)]
TRAILER = {"grade": "B"}


def test_a_written_bundle_reads_back_whole() -> None:
    bundle = read_bundle(write_bundle(HEADER, ENTRIES, TRAILER))
    assert (bundle.header, list(bundle.entries), bundle.trailer) == (HEADER, ENTRIES, TRAILER)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_changing_any_one_byte_fails_to_verify(data: st.DataObject) -> None:
    original = write_bundle(HEADER, ENTRIES, TRAILER)
    at = data.draw(st.integers(0, len(original) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda b: b != original[at]))
    changed = original[:at] + bytes([value]) + original[at + 1 :]
    with pytest.raises(BundleError):
        read_bundle(changed)


def test_a_dropped_entry_breaks_the_chain_at_its_line() -> None:
    lines = write_bundle(HEADER, ENTRIES, TRAILER).split(b"\n")
    del lines[3]
    with pytest.raises(BundleError, match="line 4: the hash chain breaks"):
        read_bundle(b"\n".join(lines))


def test_the_first_divergence_names_the_position_and_both_sides() -> None:
    left = [("e1", "a"), ("e2", "b"), ("e3", "c")]
    assert first_divergence(left, list(left)) is None
    found = first_divergence(left, [("e1", "a"), ("e2", "x")])
    assert found is not None and (found.position, found.left, found.right) == (
        1,
        ("e2", "b"),
        ("e2", "x"),
    )
    shorter = first_divergence(left, left[:2])
    assert shorter is not None and (shorter.position, shorter.right) == (2, None)
