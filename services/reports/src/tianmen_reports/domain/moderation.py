"""Moderation without knowing who: limits and blocks apply to a reporter's pseudonym."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tianmen_events.errors import DomainError


class TooMany(DomainError):
    status = 429
    code = "too-many-requests"


class Blocked(DomainError):
    status = 403
    code = "forbidden"


@dataclass(frozen=True)
class ModerationRules:
    version: str = "moderation/2026.1"
    max_tips: int = 10
    per: timedelta = timedelta(days=1)


def admit(*, blocked: bool, recent_tips: int, rules: ModerationRules) -> None:
    """Refuse a blocked reporter, or one over the limit of tips in the window."""
    if blocked:
        raise Blocked("this reporter may not submit tips", field="X-Reporter-Id")
    if recent_tips >= rules.max_tips:
        raise TooMany(
            f"at most {rules.max_tips} tips per {rules.per}; try again later",
            field="X-Reporter-Id",
        )


def reporter_stream(reporter: str) -> str:
    """The event stream of a pseudonymous reporter's moderation: the pseudonym itself (32 hex
    digits, never a tip's dashed uuid), as the event's subject must name its stream."""
    return reporter
