"""Events of safety's enforcement desk (topic `safety.case`): a case per alert or verified tip,
what staff did with it (each decision names its `actor`), escalations, appeals.

Every event is keyed by the enterprise's docket, so all decisions that move one enterprise's
ledger are totally ordered on one partition: the ledger is folded from this topic, live and in
replay, in that order.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.codes import Severity, ViolationCode, wire_enum
from tianmen_events.instants import Instant
from tianmen_events.topics import SAFETY_CASE


class Tier(StrEnum):
    """Who handles a case: the township liaison, the county (district) station, the city."""

    TOWNSHIP = "township"
    STATION = "station"
    CITY = "city"


def docket_of(enterprise_id: str) -> str:
    """The aggregate (and key) of an enterprise's cases."""
    return f"docket:{enterprise_id}"


class _CaseEvent(DomainEvent):
    topic = SAFETY_CASE.name
    subject = "docket_id"

    docket_id: str
    enterprise_id: str
    case_id: str


@event
class CaseOpened(_CaseEvent):
    type = "tianmen.safety.case_opened"

    violation_id: str = Field(description="The violation the case becomes if confirmed")
    machine_id: str | None
    code: Annotated[ViolationCode, wire_enum(ViolationCode, "What it would count as")]
    severity: Annotated[Severity, wire_enum(Severity, "The code's severity")]
    jurisdiction: str | None = Field(description="The machine's jurisdiction, if known")
    tier: Annotated[Tier, wire_enum(Tier, "The tier it is assigned to")]
    occurred_at: Instant
    due_at: Instant | None = Field(description="Escalates if not handled by then")
    source_event_id: str
    source_event_type: str
    rule_version: str


@event
class CaseAcknowledged(_CaseEvent):
    type = "tianmen.safety.case_acknowledged"

    actor: str
    at: Instant


@event
class CaseConfirmed(_CaseEvent):
    """The case is a violation: by a person (`actor`), or by rule (`automatic`)."""

    type = "tianmen.safety.case_confirmed"

    actor: str
    at: Instant
    automatic: bool


@event
class CaseDismissed(_CaseEvent):
    type = "tianmen.safety.case_dismissed"

    actor: str
    reason: str
    at: Instant


@event
class CaseEscalated(_CaseEvent):
    """Handed to the next tier up: by the desk's clock when a tier let its deadline pass (event
    time, no actor), or by staff who send it up with a reason (`actor`, `reason`)."""

    type = "tianmen.safety.case_escalated"

    from_tier: Annotated[Tier, wire_enum(Tier, "The tier that let it lapse or sent it up")]
    to_tier: Annotated[Tier, wire_enum(Tier, "The tier it now belongs to")]
    at: Instant
    due_at: Instant | None
    actor: str | None = Field(default=None, description="Who sent it up; None: the deadline")
    reason: str | None = Field(default=None, description="Why it was sent up by hand")


@event
class AppealUpheld(_CaseEvent):
    """The enterprise's appeal succeeded: the case's violation is revoked, its points restored."""

    type = "tianmen.safety.appeal_upheld"

    violation_id: str
    actor: str
    reason: str
    at: Instant
