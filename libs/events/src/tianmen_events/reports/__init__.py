"""Events produced by reports: citizen tip-offs ("随手拍").

The reporter's identity and contact never enter an event: they stay in the reports service's
own store, visible only to the staff who must contact the reporter.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.codes import ViolationCode
from tianmen_events.instants import Instant
from tianmen_events.topics import REPORTS_TIP


class TipCategory(StrEnum):
    ILLEGAL_OPERATION = "illegal_operation"  # 非法操作
    UNLICENSED_OPERATION = "unlicensed_operation"  # 无证作业
    NIGHT_WORK = "night_work"  # 夜间施工
    SAFETY_HAZARD = "safety_hazard"  # 安全隐患
    OTHER = "other"
    UNSAFE_HOISTING = "unsafe_hoisting"  # 起重机械安全隐患
    DUST_AND_NOISE = "dust_and_noise"  # 扬尘噪声


class TipOutcome(StrEnum):
    """How a tip ends when it is not verified."""

    UNFOUNDED = "unfounded"  # 不属实
    OUT_OF_SCOPE = "out_of_scope"  # 不属于本中心职责


@event
class TipSubmitted(DomainEvent):
    type = "tianmen.reports.tip_submitted"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    category: TipCategory
    description: str
    latitude: float = Field(ge=-90, le=90, description="WGS-84")
    longitude: float = Field(ge=-180, le=180, description="WGS-84")
    photo_urls: tuple[str, ...] = ()
    anonymous: bool
    has_contact: bool
    submitted_at: Instant
    reporter: str | None = Field(
        default=None, description="The reporter's pseudonym (HMAC of the reporter id), never the id"
    )
    media_ids: tuple[str, ...] = Field(default=(), description="Evidence uploaded to /media")


@event
class TipContactRevealed(DomainEvent):
    """A staff member saw a reporter's contact: the audit trail names who, when and why."""

    type = "tianmen.reports.tip_contact_revealed"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    actor: str = Field(description="The staff member who asked to see the contact")
    reason: str
    revealed_at: Instant


@event
class TipRouted(DomainEvent):
    """The jurisdiction that owns the tip's location, and by when it must be assigned."""

    type = "tianmen.reports.tip_routed"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    jurisdiction: str
    routed_at: Instant
    assign_by: Instant
    rules_version: str


@event
class TipAssigned(DomainEvent):
    type = "tianmen.reports.tip_assigned"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    assignee: str
    assigned_at: Instant
    verify_by: Instant


@event
class TipVerificationStarted(DomainEvent):
    type = "tianmen.reports.tip_verification_started"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    verifier: str
    started_at: Instant
    verify_by: Instant


@event
class TipVerified(DomainEvent):
    """A tip found true on site: safety records `violation_code` against the enterprise, credit
    counts a complaint. The reporter appears only as a pseudonym."""

    type = "tianmen.reports.tip_verified"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    category: TipCategory
    violation_code: ViolationCode
    enterprise_id: str
    machine_id: str | None = None
    major_hazard: bool
    jurisdiction: str
    latitude: float = Field(ge=-90, le=90, description="WGS-84")
    longitude: float = Field(ge=-180, le=180, description="WGS-84")
    observed_at: Instant = Field(description="When the tip was submitted")
    verified_at: Instant
    verifier: str
    reporter: str | None = Field(default=None, description="The reporter's pseudonym")


@event
class TipDismissed(DomainEvent):
    """Not verified: unfounded or out of the center's scope."""

    type = "tianmen.reports.tip_dismissed"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    outcome: TipOutcome
    reason: str
    dismissed_at: Instant
    verifier: str


@event
class TipMerged(DomainEvent):
    """Staff found the tip a duplicate of an earlier one; the reporter follows that one."""

    type = "tianmen.reports.tip_merged"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    into_tip_id: str
    merged_at: Instant
    actor: str


@event
class TipClosed(DomainEvent):
    type = "tianmen.reports.tip_closed"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    closed_at: Instant
    actor: str


TIP_VIOLATIONS: dict[TipCategory, ViolationCode] = {
    TipCategory.NIGHT_WORK: ViolationCode.NIGHT_WORK_WITHOUT_PERMIT,
    TipCategory.UNLICENSED_OPERATION: ViolationCode.UNLICENSED_OPERATOR,
    TipCategory.UNSAFE_HOISTING: ViolationCode.UNSAFE_HOISTING_MACHINERY,
    TipCategory.DUST_AND_NOISE: ViolationCode.CONSTRUCTION_DUST,
    TipCategory.ILLEGAL_OPERATION: ViolationCode.UNSAFE_OPERATION,
    TipCategory.SAFETY_HAZARD: ViolationCode.UNSAFE_OPERATION,
    TipCategory.OTHER: ViolationCode.UNSAFE_OPERATION,
}
"""What safety records a verified tip of each category as (every category has one)."""


@event
class RewardGranted(DomainEvent):
    """The reward a verified tip earns its (first, pseudonymous) reporter."""

    type = "tianmen.reports.reward_granted"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    reporter: str | None = Field(description="The reporter's pseudonym")
    amount_yuan: int = Field(ge=0)
    rules_version: str
    granted_at: Instant


@event
class RewardPaid(DomainEvent):
    type = "tianmen.reports.reward_paid"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    amount_yuan: int = Field(ge=0)
    paid_at: Instant
    actor: str


@event
class TipHidden(DomainEvent):
    """Moderation: the tip's text is abusive and no longer shown; the tip itself stays."""

    type = "tianmen.reports.tip_hidden"
    topic = REPORTS_TIP.name
    subject = "tip_id"

    tip_id: str
    reason: str
    actor: str
    hidden_at: Instant


@event
class ReporterBlocked(DomainEvent):
    """Moderation: a pseudonymous reporter may submit no more tips (who it is stays unknown)."""

    type = "tianmen.reports.reporter_blocked"
    topic = REPORTS_TIP.name
    subject = "reporter"

    reporter: str = Field(description="The reporter's pseudonym")
    reason: str
    actor: str
    blocked_at: Instant
