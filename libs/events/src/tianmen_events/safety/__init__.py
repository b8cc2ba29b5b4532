"""Events produced by safety: violations and the enterprise safety-points ledger (this module),
the enforcement desk's cases (`cases`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.codes import ViolationCode, wire_enum
from tianmen_events.instants import Instant
from tianmen_events.topics import SAFETY_ENTERPRISE


class _SafetyEvent(DomainEvent):
    topic = SAFETY_ENTERPRISE.name
    subject = "enterprise_id"

    enterprise_id: str


@event
class ViolationRecorded(_SafetyEvent):
    type = "tianmen.safety.violation_recorded"

    violation_id: str
    machine_id: str | None
    code: Annotated[ViolationCode, wire_enum(ViolationCode, "What the violation counts as")]
    description: str
    occurred_at: Instant
    source_event_id: str
    source_event_type: str
    points: int
    rule_version: str


@event
class PointsDeducted(_SafetyEvent):
    type = "tianmen.safety.points_deducted"

    violation_id: str
    points: int
    balance_after: int
    cycle_year: int
    rule_version: str


@event
class BiddingSuspended(_SafetyEvent):
    type = "tianmen.safety.bidding_suspended"

    cycle_year: int
    balance: int
    threshold: int
    rule_version: str


@event
class KeySupervisionListed(_SafetyEvent):
    type = "tianmen.safety.key_supervision_listed"

    cycle_year: int
    rule_version: str


@event
class MachineStopUseOrdered(_SafetyEvent):
    """A stop-use order on a machine (an inspection found a hazard it must not work with).
    Keyed by the enterprise like every safety event; the registry suspends the machine."""

    type = "tianmen.safety.machine_stop_use_ordered"

    order_id: str
    machine_id: str
    reason: str
    ordered_at: Instant


@event
class MachineStopUseLifted(_SafetyEvent):
    """The order is lifted (the hazard rectified and checked); the registry reinstates."""

    type = "tianmen.safety.machine_stop_use_lifted"

    order_id: str
    machine_id: str
    reason: str = ""
    lifted_at: Instant


@event
class PointsRestored(_SafetyEvent):
    """An appeal upheld: the violation is revoked and the points it deducted come back."""

    type = "tianmen.safety.points_restored"

    violation_id: str
    points: int
    balance_after: int
    cycle_year: int
    reason: str
    rule_version: str


@event
class BiddingSuspensionLifted(_SafetyEvent):
    """The balance is back above the threshold (an appeal upheld): bidding is open again."""

    type = "tianmen.safety.bidding_suspension_lifted"

    cycle_year: int
    balance: int
    threshold: int
    rule_version: str


@event
class KeySupervisionDelisted(_SafetyEvent):
    """Off the key-supervision list: the balance is back above zero (an appeal upheld), or a
    rectification period passed without a new violation (`delisted_at`: when it ended)."""

    type = "tianmen.safety.key_supervision_delisted"

    cycle_year: int
    balance: int
    rule_version: str
    delisted_at: Instant | None = Field(
        default=None,
        description="When the quiet rectification period ended (event time); none on appeal",
    )


@event
class ThirdPartyTestExpired(_SafetyEvent):
    """A high-risk (hoisting) machine's third-party test (检验检测, by an accredited body) has
    run out: from `expired_at` it may not work until it passes again (the registry's
    `AnnualReviewPassed`). Telemetry charges a working report after `expired_at`."""

    type = "tianmen.safety.third_party_test_expired"

    machine_id: str
    test_id: str = Field(description="The test (certificate) that expired")
    expired_at: Instant
