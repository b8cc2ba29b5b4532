"""The standing at a moment: score, grade, restriction, and every effect that explains it
(in force or expired), labelled in Chinese and English, with the model version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tianmen_events.credit import ProcurementRestrictionChanged

from tianmen_credit.domain.ledger import Item, Ledger
from tianmen_credit.domain.spec import ModelSpec


@dataclass(frozen=True)
class Contribution:
    event_id: str
    kind: str
    effect: int
    at: datetime
    expires_at: datetime
    in_force: bool
    zh: str
    en: str
    code: str = ""
    repaired_by: str = ""


@dataclass(frozen=True)
class Standing:
    enterprise_id: str
    at: datetime
    score: int
    grade: str
    restricted: bool
    model_version: str
    base_score: int
    contributions: tuple[Contribution, ...]  # in force first, then expired; oldest first

    @property
    def in_force(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.in_force)


def standing(ledger: Ledger, model: ModelSpec, at: datetime) -> Standing:
    """What the ledger says at `at`: only effects that started by then; those in force count."""
    started = sorted((i for i in ledger.items if i.at <= at), key=lambda i: (i.at, i.event_id))
    score = score_at(ledger, model, at)
    grade = model.grade(score)
    explained = [explain(i, model, at) for i in started]
    ordered = [c for c in explained if c.in_force] + [c for c in explained if not c.in_force]
    return Standing(
        ledger.enterprise_id,
        at,
        score,
        grade,
        model.restricted(grade),
        model.version,
        model.base_score,
        tuple(ordered),
    )


def score_at(ledger: Ledger, model: ModelSpec, at: datetime) -> int:
    """The score `standing` reports at `at`, without explaining it (the live consumer's step)."""
    return model.clamp(model.base_score + sum(i.effect for i in ledger.items if i.in_force(at)))


def explain(item: Item, model: ModelSpec, at: datetime) -> Contribution:
    zh, en = model.label(item.kind)
    if item.code:
        zh, en = f"{zh}（{item.code}）", f"{en} ({item.code})"
    return Contribution(
        item.event_id,
        item.kind,
        item.effect,
        item.at,
        item.expires_at,
        item.in_force(at),
        zh,
        en,
        item.code,
        item.repaired_by,
    )


@dataclass(frozen=True)
class Change:
    """The standing moved at `at` because `cause` began (an event id) or ended (`…#expired`)."""

    at: datetime
    cause: str
    score: int
    grade_before: str
    grade: str
    restricted_before: bool
    restricted: bool


def changes(ledger: Ledger, model: ModelSpec, until: datetime) -> list[Change]:
    """Every grade change up to `until` in event time, expiries included: a replay derives the
    same list, where a wall-clock job would have left no trace."""
    moments = sorted(
        {(i.at, i.event_id) for i in ledger.items if i.at <= until}
        | {(i.expires_at, f"{i.event_id}#expired") for i in ledger.items if i.expires_at <= until}
    )
    grade = model.grade(score_at(ledger, model, datetime.min.replace(tzinfo=until.tzinfo)))
    found = []
    for at, cause in moments:
        score = score_at(ledger, model, at)
        now = model.grade(score)
        if now != grade:
            was, restricted = model.restricted(grade), model.restricted(now)
            found.append(Change(at, cause, score, grade, now, was, restricted))
        grade = now
    return found


def restriction_events(
    ledger: Ledger, model: ModelSpec, until: datetime
) -> list[ProcurementRestrictionChanged]:
    """Procurement restriction imposed or lifted, as events at the event time it happened."""
    return [
        ProcurementRestrictionChanged(
            enterprise_id=ledger.enterprise_id,
            restricted=c.restricted,
            grade=c.grade,
            score=c.score,
            at=c.at,
            model_version=model.version,
            cause_event_id=c.cause,
        )
        for c in changes(ledger, model, until)
        if c.restricted != c.restricted_before
    ]
