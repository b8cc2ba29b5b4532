"""What a citizen asks of the reports service."""

from __future__ import annotations

from dataclasses import dataclass, field

from tianmen_events.reports import TipCategory, TipOutcome


@dataclass(frozen=True)
class Contact:
    """How staff may reach the reporter. Kept out of reprs so it never lands in a log line."""

    name: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SubmitTip:
    """A 随手拍 tip-off. `tip_id` is chosen at the edge (from an idempotency key, or fresh)."""

    tip_id: str
    category: TipCategory
    description: str
    latitude: float
    longitude: float
    anonymous: bool
    photo_urls: tuple[str, ...] = ()
    contact: Contact | None = field(default=None, repr=False)
    reporter: str | None = None  # the pseudonym, computed at the edge
    media_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RevealContact:
    tip_id: str
    actor: str
    reason: str


@dataclass(frozen=True)
class AssignTip:
    tip_id: str
    assignee: str


@dataclass(frozen=True)
class StartVerification:
    tip_id: str
    verifier: str


@dataclass(frozen=True)
class VerifyTip:
    tip_id: str
    verifier: str
    enterprise_id: str
    major_hazard: bool
    machine_id: str | None = None


@dataclass(frozen=True)
class DismissTip:
    tip_id: str
    verifier: str
    outcome: TipOutcome
    reason: str


@dataclass(frozen=True)
class MergeTip:
    tip_id: str
    into_tip_id: str
    actor: str


@dataclass(frozen=True)
class CloseTip:
    tip_id: str
    actor: str


@dataclass(frozen=True)
class PayReward:
    tip_id: str
    actor: str


StaffAction = (
    AssignTip | StartVerification | VerifyTip | DismissTip | MergeTip | CloseTip | PayReward
)
