"""How the enforcement desk routes cases: data with a version, named by the events it shapes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from tianmen_events.codes import Severity, ViolationCode
from tianmen_events.safety.cases import Tier

TIERS_UP = (Tier.TOWNSHIP, Tier.STATION, Tier.CITY)


@dataclass(frozen=True)
class CaseRules:
    """`first_tier`: who gets a case of a severity; `deadline`: how long a tier has before the
    case goes up (a tier without one keeps it); `self_evident`: codes confirmed by rule."""

    version: str
    first_tier: Mapping[Severity, Tier]
    deadline: Mapping[Tier, timedelta]
    self_evident: frozenset[ViolationCode]

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_tier", MappingProxyType(dict(self.first_tier)))
        object.__setattr__(self, "deadline", MappingProxyType(dict(self.deadline)))

    def due(self, tier: Tier, since: datetime) -> datetime | None:
        limit = self.deadline.get(tier)
        return None if limit is None else since + limit

    @staticmethod
    def above(tier: Tier) -> Tier | None:
        at = TIERS_UP.index(tier)
        return TIERS_UP[at + 1] if at + 1 < len(TIERS_UP) else None


CASE_RULES = CaseRules(
    version="safety-cases/2026.1",
    first_tier={
        Severity.MINOR: Tier.TOWNSHIP,
        Severity.SERIOUS: Tier.STATION,
        Severity.GRAVE: Tier.CITY,
    },
    deadline={Tier.TOWNSHIP: timedelta(hours=24), Tier.STATION: timedelta(hours=48)},
    # What the records prove on their own: permits, stop-use orders and restricted zones are
    # on record, and the terminal itself reported the cut or the silent move. Overlong work
    # depends on breaks the terminal may not see: a person decides.
    self_evident=frozenset(
        {
            ViolationCode.NIGHT_WORK_WITHOUT_PERMIT,
            ViolationCode.STOPPED_MACHINE_WORKING,
            ViolationCode.WORK_IN_RESTRICTED_ZONE,
            ViolationCode.SUSPECTED_TERMINAL_TAMPERING,
        }
    ),
)
