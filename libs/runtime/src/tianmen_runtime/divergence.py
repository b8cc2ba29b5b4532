"""Where two rebuilds part: each rebuild is a trace of (entry id, digest of the state after
it); the first position where the ids or digests differ is where to look."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import TypeVar

S = TypeVar("S")
E = TypeVar("E")
Trace = list[tuple[str, str]]


@dataclass(frozen=True)
class Divergence:
    position: int  # 0-based index into the traces
    left: tuple[str, str] | None  # (entry id, digest), None where a trace ended
    right: tuple[str, str] | None


def trace(
    initial: S,
    log: Iterable[E],
    evolve: Callable[[S, E], S],
    entry_id: Callable[[E], str],
    state_digest: Callable[[S], str],
) -> Trace:
    found, state = [], initial
    for entry in log:
        state = evolve(state, entry)
        found.append((entry_id(entry), state_digest(state)))
    return found


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def first_divergence(
    left: Sequence[tuple[str, str]], right: Sequence[tuple[str, str]]
) -> Divergence | None:
    for position, (a, b) in enumerate(zip_longest(left, right)):
        if a != b:
            return Divergence(position, a, b)
    return None
