"""The audit answers over a history read from the log: the CLI and the API both ask these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tianmen_runtime.divergence import Divergence, digest_of, first_divergence, trace
from tianmen_runtime.log_reader import Logged

from tianmen_credit.audit.history import facts_of
from tianmen_credit.audit.views import as_of_view, canonical_view, grade_change_view, standing_view
from tianmen_credit.domain.asof import as_of
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, empty, evolve
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import standing
from tianmen_credit.domain.whatif import what_if


def latest_time(history: Sequence[Logged]) -> datetime | None:
    """The log's own "now": the latest event time in it (never the wall clock)."""
    return max((e.meta.time for e in history), default=None)


def what_if_answer(
    history: Sequence[Logged], current: ModelSpec, candidate: ModelSpec, at: datetime | None
) -> dict[str, Any]:
    facts = facts_of(history)
    moment = at or latest_time(history)
    changed = what_if(facts, current, candidate, moment) if moment else []
    return {
        "current_model": current.version,
        "candidate_model": candidate.version,
        "at": moment and moment.isoformat(),
        "events": len(history),
        "changes": [grade_change_view(c) for c in changed],
    }


def as_of_answer(
    history: Sequence[Logged],
    model: ModelSpec,
    enterprise_id: str,
    at: datetime,
    known_at: datetime | None,
) -> dict[str, Any]:
    answer = as_of(enterprise_id, facts_of(history), model, at, known_at)
    return {"at": at.isoformat(), "known_at": (known_at or at).isoformat(), **as_of_view(answer)}


def divergence(
    history: Sequence[Logged], left: ModelSpec, right: ModelSpec
) -> tuple[int, Divergence | None]:
    """Rebuild twice (under `left` and `right`): the first fact after which an enterprise's
    standing differs, or None when the rebuilds agree throughout."""
    facts = facts_of(history)
    return len(facts), first_divergence(_trace(facts, left), _trace(facts, right))


def _trace(facts: list[Fact], model: ModelSpec) -> list[tuple[str, str]]:
    def step(state: dict[str, Ledger], fact: Fact) -> dict[str, Ledger]:
        state[fact.enterprise_id] = evolve(
            state.get(fact.enterprise_id) or empty(fact.enterprise_id, model), fact, model
        )
        state["_last"] = state[fact.enterprise_id]
        return state

    def digest(state: dict[str, Ledger]) -> str:
        ledger = state["_last"]
        view = (
            standing_view(standing(ledger, model, max(i.at for i in ledger.items)))
            if ledger.items
            else {}
        )
        view.pop("model_version", None)
        return digest_of(canonical_view(view))

    start: dict[str, Ledger] = {}
    return trace(start, facts, step, lambda f: f.event_id, digest)
