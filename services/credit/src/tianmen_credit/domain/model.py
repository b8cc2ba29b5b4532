"""The credit scoring model: data with a version, carried by every score change it causes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import singledispatch
from types import MappingProxyType

from tianmen_events import DomainEvent
from tianmen_events.codes import ViolationCode
from tianmen_events.errors import DomainError
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed, ViolationRecorded


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min_score: int


@dataclass(frozen=True)
class Assessment:
    """What one event does to the score, in words an enterprise can check."""

    delta: int
    description: str


@dataclass(frozen=True)
class ScoringModel:
    version: str
    base_score: int
    bands: tuple[GradeBand, ...]  # highest first; the last band is the floor
    restricted_grades: frozenset[str]
    per_violation_point: Mapping[ViolationCode, int]  # score change per safety point
    bidding_suspended: int
    key_supervision_listed: int

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "per_violation_point", MappingProxyType(dict(self.per_violation_point))
        )

    def grade(self, score: int) -> str:
        return next((b.grade for b in self.bands if score >= b.min_score), self.bands[-1].grade)

    def procurement_restricted(self, grade: str) -> bool:
        return grade in self.restricted_grades

    def assess(self, event: DomainEvent) -> Assessment | None:
        """The score change an event causes, or None for events the model does not count."""
        return _assess(event, self)

    def violation_weight(self, code: ViolationCode) -> int:
        """What one safety point of a violation of `code` costs; refuse codes it does not score."""
        try:
            return self.per_violation_point[code]
        except KeyError:
            raise DomainError(
                f"violation code {str(code)!r} has no credit effect in {self.version}", field="code"
            ) from None


@singledispatch
def _assess(event: DomainEvent, model: ScoringModel) -> Assessment | None:
    return None


@_assess.register
def _violation(event: ViolationRecorded, model: ScoringModel) -> Assessment | None:
    delta = model.violation_weight(event.code) * event.points
    return Assessment(delta, f"violation {event.code}: {event.description} ({delta:+d})")


@_assess.register
def _bidding_suspended(event: BiddingSuspended, model: ScoringModel) -> Assessment | None:
    delta = model.bidding_suspended
    return Assessment(
        delta,
        f"bidding suspended: safety points {event.balance} at or below "
        f"{event.threshold} in {event.cycle_year} ({delta:+d})",
    )


@_assess.register
def _key_supervision(event: KeySupervisionListed, model: ScoringModel) -> Assessment | None:
    delta = model.key_supervision_listed
    return Assessment(delta, f"listed for key supervision in {event.cycle_year} ({delta:+d})")


MODEL = ScoringModel(
    version="credit/2026.1",
    base_score=100,
    bands=(GradeBand("A", 90), GradeBand("B", 80), GradeBand("C", 70), GradeBand("D", 0)),
    restricted_grades=frozenset({"D"}),
    per_violation_point={
        ViolationCode.NIGHT_WORK_WITHOUT_PERMIT: -2,
        ViolationCode.CONTINUOUS_WORK_BEYOND_LIMIT: -1,
        ViolationCode.SUSPECTED_TERMINAL_TAMPERING: -3,
        ViolationCode.IMPLAUSIBLE_POSITION_DATA: 0,
        ViolationCode.FUEL_LEVEL_ANOMALY: 0,
        ViolationCode.WORK_IN_RESTRICTED_ZONE: -3,
        ViolationCode.STOPPED_MACHINE_WORKING: -4,
        ViolationCode.WORK_OUTSIDE_SITE: -1,
        ViolationCode.SUSPECTED_ILLEGAL_MODIFICATION: -2,
        ViolationCode.UNLICENSED_OPERATOR: -2,
        ViolationCode.UNSAFE_HOISTING_MACHINERY: -2,
        ViolationCode.CONSTRUCTION_DUST: -1,
        ViolationCode.UNSAFE_OPERATION: -2,
    },
    bidding_suspended=-10,
    key_supervision_listed=-20,
)
