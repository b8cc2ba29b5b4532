"""A timely annual review: a pass earns the model's addition only if it came on or before the
machine's due day (Beijing date), and no sweep found that due day overdue first.

Credit knows each machine's due day from the events it consumes, in event-time order as the
ledger folds them: registration sets the first (`RegistrationNumberIssued.next_review_due`),
each pass the next; registry's `AnnualReviewOverdue` marks the current one overdue. So the
verdict is a function of the facts, the same under any replay (decision 68).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta, timezone

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.spec import ModelSpec

CHINA = timezone(timedelta(hours=8))
PASSED = "annual_review_passed"
LATE = "annual_review_late"
"""A pass after its due day: weighed by the model's rule of this kind, when it has one (a
model without it adds for every pass, as credit/2026.2 does)."""
NOTED = frozenset({"review_due", PASSED, "annual_review_overdue"})


@dataclass(frozen=True)
class Due:
    on: date | None  # the machine's review due day, if credit has seen it
    overdue: bool = False  # registry's sweep found it overdue


Dues = Mapping[str, Due]
"""By machine id."""


def noted(dues: Dues, fact: Fact) -> Dues:
    """The due days once `fact` is counted (the same mapping for a fact about no review)."""
    if fact.kind not in NOTED or not fact.target:
        return dues
    day = _day(fact.code)
    if fact.kind != "annual_review_overdue":
        return {**dues, fact.target: Due(day)}
    now = dues.get(fact.target)
    if now is not None and now.on is not None and day is not None and day < now.on:
        return dues  # an earlier period's overdue: the current one is not late for it
    return {**dues, fact.target: Due(day if day is not None or now is None else now.on, True)}


def weighed(dues: Dues, fact: Fact, model: ModelSpec) -> tuple[str, str]:
    """The kind a pass is weighed as (`LATE` when it missed its due day and the model weighs
    a late pass) and the due day it missed (ISO), else the fact's own kind and ""."""
    due = dues.get(fact.target) if fact.kind == PASSED else None
    if due is None or model.rule(LATE) is None:
        return fact.kind, ""
    passed_on = fact.at.astimezone(CHINA).date()
    if not due.overdue and (due.on is None or passed_on <= due.on):
        return fact.kind, ""
    return LATE, "" if due.on is None else due.on.isoformat()


def _day(text: str) -> date | None:
    """A fact's due day; None when it has none (a fact stored before credit kept it)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
