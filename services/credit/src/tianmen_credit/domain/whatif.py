"""What-if: the same history under a candidate model; which enterprises would change grade, and
why (the effects that differ). Pure: it builds its own ledgers and touches no live state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, empty, ledger_of
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import Contribution, Standing, standing


@dataclass(frozen=True)
class GradeChange:
    enterprise_id: str
    current: Standing
    candidate: Standing
    why: tuple[tuple[Contribution | None, Contribution | None], ...]  # (current, candidate)


def ledgers(facts: Iterable[Fact], model: ModelSpec) -> dict[str, Ledger]:
    """Each enterprise's ledger, folded as the live score folds it (`ledger_of`)."""
    mine: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        mine[fact.enterprise_id].append(fact)
    return {e: ledger_of(e, found, model) for e, found in mine.items()}


def what_if(
    facts: Sequence[Fact], current: ModelSpec, candidate: ModelSpec, at: datetime
) -> list[GradeChange]:
    now, then = ledgers(facts, current), ledgers(facts, candidate)
    result = []
    for enterprise_id in sorted(now.keys() | then.keys()):
        a = standing(now.get(enterprise_id) or empty(enterprise_id, current), current, at)
        b = standing(then.get(enterprise_id) or empty(enterprise_id, candidate), candidate, at)
        if a.grade != b.grade:
            result.append(GradeChange(enterprise_id, a, b, _differences(a, b)))
    return result


def _differences(
    a: Standing, b: Standing
) -> tuple[tuple[Contribution | None, Contribution | None], ...]:
    mine: Mapping[str, list[Contribution | None]] = defaultdict(lambda: [None, None])
    for side, s in enumerate((a, b)):
        for c in s.in_force:
            mine[c.event_id][side] = c
    return tuple(
        (x, y)
        for _, (x, y) in sorted(mine.items())
        if x is None or y is None or x.effect != y.effect
    )
