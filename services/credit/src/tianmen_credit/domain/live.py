"""The live score: the standing under the versioned model at the enterprise's watermark.

The live row is `standing(ledger, model, watermark)`, the very function as-of and what-if ask,
so "what-if under the current model changes nothing" holds by construction. The watermark is
the latest event time among the enterprise's facts: a deduction expires when event time has
passed its end, seen by a replay exactly as live, never by a wall-clock job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_events.frozen import assembled

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import score_at
from tianmen_credit.domain.tally import Tally, advanced, tally_of
from tianmen_credit.domain.told import in_force, reasons_between, restriction, score_changed


@dataclass(frozen=True)
class Scored:
    """An enterprise's live row: its standing at `watermark` (None before its first fact)."""

    enterprise_id: str
    score: int
    grade: str
    restricted: bool
    model_version: str
    watermark: datetime | None = None


def unscored(enterprise_id: str, model: ModelSpec) -> Scored:
    grade = model.grade(model.base_score)
    return Scored(enterprise_id, model.base_score, grade, model.restricted(grade), model.version)


def scored(ledger: Ledger, model: ModelSpec, watermark: datetime, raw: int | None = None) -> Scored:
    """`standing(ledger, model, watermark)`'s score, grade and restriction (`raw`: the sum of
    the effects in force there, when a tally knows it)."""
    score = (
        score_at(ledger, model, watermark) if raw is None else model.clamp(model.base_score + raw)
    )
    grade = model.grade(score)
    return assembled(  # once a fact: every field, in order (`tianmen_events.frozen`)
        Scored,
        {
            "enterprise_id": ledger.enterprise_id,
            "score": score,
            "grade": grade,
            "restricted": model.restricted(grade),
            "model_version": model.version,
            "watermark": watermark,
        },
    )


@dataclass(frozen=True)
class Step:
    """One event's facts joining an enterprise's ledger: the row and ledger before them, the
    ledger after, the facts, and the event's type (what the reasons name as their cause)."""

    row: Scored
    before: Ledger
    after: Ledger
    new: Sequence[Fact] = ()
    cause_type: str = ""


def rescore(
    step: Step, model: ModelSpec, clock: datetime | None = None
) -> tuple[Scored, list[DomainEvent]]:
    """The row after the step's facts joined the ledger, and the events that say so:
    a score change naming every effect that began or ended since the last watermark, and the
    procurement restriction imposed or lifted at the event time the grade crossed the line.
    The watermark is the latest fact's time, or the latest expiry `clock` (the event time the
    consumer has seen, `adapters/clock.py`) has passed, whichever is later."""
    now, found, _ = rescore_kept(step, model, clock, None)
    return now, found


def rescore_kept(
    step: Step, model: ModelSpec, clock: datetime | None, kept: Tally | None
) -> tuple[Scored, list[DomainEvent], Tally]:
    """`rescore`, told the tally kept at the row's watermark: the new tally too, and without
    a pass over the items when the facts come in order and nothing expires."""
    row, after = step.row, step.after
    latest = max([f.at for f in step.new] + ([] if row.watermark is None else [row.watermark]))
    tally = None if kept is None else advanced(kept, step.before, after, step.new, latest)
    if tally is not None and (clock is None or tally.upcoming is None or tally.upcoming > clock):
        now, found = restand(step, latest, model, tally)
        return now, found, tally
    moved = None if clock is None else last_expiry(after, latest, clock)
    watermark = latest if moved is None else moved
    now, found = restand(step, watermark, model)
    return now, found, tally_of(after, watermark)


def restand(
    step: Step, watermark: datetime, model: ModelSpec, tally: Tally | None = None
) -> tuple[Scored, list[DomainEvent]]:
    """The row moved to `watermark` (after the step's facts joined, or none: time passing),
    and the events that say what changed. Given the tally `advanced` made (nothing ended,
    items only appended), the score is its sum and what began is the appended items."""
    row, before, after, new = step.row, step.before, step.after, step.new
    now = scored(after, model, watermark, None if tally is None else tally.raw)
    found: list[DomainEvent] = []
    if (now.score, now.grade) != (row.score, row.grade):
        if tally is not None:
            then, began = [], in_force(after, model, watermark, before.length)
        else:
            then = [] if row.watermark is None else in_force(before, model, row.watermark)
            began = in_force(after, model, watermark)
        reasons = reasons_between(then, began, new, step.cause_type)
        found.append(score_changed(row, now, reasons))
    if now.restricted != row.restricted:
        found.append(restriction(after, model, now, new))
    return now, found


def last_expiry(ledger: Ledger, since: datetime, clock: datetime) -> datetime | None:
    """The latest moment in (since, clock] an item of the ledger expires: where a row at
    `since` moves once event time has reached `clock`."""
    return max((i.expires_at for i in ledger.items if since < i.expires_at <= clock), default=None)


def next_expiry(ledger: Ledger, after: datetime) -> datetime | None:
    """The first moment after `after` an item of the ledger expires: when the row would next
    change by event time alone (facts only start items)."""
    return min((i.expires_at for i in ledger.items if i.expires_at > after), default=None)


def expire(
    row: Scored, ledger: Ledger, model: ModelSpec, clock: datetime
) -> tuple[Scored, list[DomainEvent]] | None:
    """The row once event time has reached `clock` with no new fact: moved to the latest
    expiry since its watermark, with the events that say what ended; None if nothing did."""
    if row.watermark is None:
        return None
    moment = last_expiry(ledger, row.watermark, clock)
    if moment is None:
        return None
    return restand(Step(row, ledger, ledger), moment, model)
