"""What reaches the desk: an alert opens a case (confirmed at once when its code is
self-evident; none at all for data quality); a verified tip opens a case a person confirmed.
Ids derive from the source, so the same alert or tip seen again opens the same case."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from tianmen_events import DomainEvent, derive_id
from tianmen_events.codes import ViolationCode
from tianmen_events.reports import TipVerified
from tianmen_events.safety.cases import CaseConfirmed, CaseOpened, docket_of
from tianmen_events.telemetry import AlertRaised

from tianmen_safety.domain.built import built
from tianmen_safety.domain.case_rules import CaseRules
from tianmen_safety.domain.ledger import violation_id_for
from tianmen_safety.domain.rules import PointsRules

SYSTEM = "system"


def from_alert(
    alert: AlertRaised, *, source_event_id: str, points: PointsRules, rules: CaseRules
) -> list[DomainEvent]:
    code = points.violation_for(alert.rule).code
    if code.about.data_quality:
        return []  # about a terminal's data, not an enterprise's conduct
    case = _opened(
        code,
        alert.enterprise_id,
        case_id_of(alert),
        violation_id_for(alert),
        machine_id=alert.machine_id,
        jurisdiction=alert.jurisdiction,
        at=alert.observed_at,
        source=(source_event_id, alert.type),
        rules=rules,
        decided=code in rules.self_evident,
    )
    if code not in rules.self_evident:
        return [case]
    actor = f"{SYSTEM}:{rules.version}"
    return [case, _confirmed(case, actor, alert.observed_at, automatic=True)]


def opens_case(source: AlertRaised | TipVerified, points: PointsRules) -> bool:
    """Whether the alert or tip opens a case (none for data quality, nor for a rule the table
    does not know: its handler refuses it)."""
    if isinstance(source, TipVerified):
        return True
    rule = points.violations.get(source.rule)
    return rule is not None and not rule.code.about.data_quality


def case_id_of(source: AlertRaised | TipVerified) -> str:
    """The case an alert or a verified tip opens (derived from it: the same on every replay)."""
    if isinstance(source, AlertRaised):
        return _case_id(source.alert_id)
    return derive_id("case", "tip", source.tip_id)


@lru_cache(maxsize=8192)
def _case_id(alert_id: str) -> str:
    # Asked twice an alert (reading ahead, filing), like the violation's id.
    return derive_id("case", alert_id)


def from_tip(tip: TipVerified, *, source_event_id: str, rules: CaseRules) -> list[DomainEvent]:
    case = _opened(
        tip.violation_code,
        tip.enterprise_id,
        case_id_of(tip),
        derive_id("violation", "tip", tip.tip_id),
        machine_id=tip.machine_id,
        jurisdiction=tip.jurisdiction,
        at=tip.observed_at,
        source=(source_event_id, tip.type),
        rules=rules,
        decided=True,
    )
    return [case, _confirmed(case, tip.verifier, tip.verified_at, automatic=False)]


def _opened(
    code: ViolationCode,
    enterprise_id: str,
    case_id: str,
    violation_id: str,
    *,
    machine_id: str | None,
    jurisdiction: str | None,
    at: datetime,
    source: tuple[str, str],
    rules: CaseRules,
    decided: bool,
) -> CaseOpened:
    """`decided`: confirmed in the same breath, so it has no deadline to escalate by."""
    tier = rules.first_tier[code.about.severity]
    return built(  # every field, in order, of its type: the source's, the rules', derived ids
        CaseOpened,
        {
            "docket_id": docket_of(enterprise_id),
            "enterprise_id": enterprise_id,
            "case_id": case_id,
            "violation_id": violation_id,
            "machine_id": machine_id,
            "code": code,
            "severity": code.about.severity,
            "jurisdiction": jurisdiction,
            "tier": tier,
            "occurred_at": at,
            "due_at": None if decided else rules.due(tier, at),
            "source_event_id": source[0],
            "source_event_type": source[1],
            "rule_version": rules.version,
        },
    )


def _confirmed(case: CaseOpened, actor: str, at: datetime, *, automatic: bool) -> CaseConfirmed:
    return built(
        CaseConfirmed,
        {
            "docket_id": case.docket_id,
            "enterprise_id": case.enterprise_id,
            "case_id": case.case_id,
            "actor": actor,
            "at": at,
            "automatic": automatic,
        },
    )
