"""Violations found at inspections: a hazard filed naming the inspection it was found at (a spot
check, a third-party test) or the campaign it was found under is a violation of the enterprise,
recorded on its ledger like a confirmed case's.

A major hazard (stop-use, by the national criteria) counts as `MAJOR_HAZARD_FOUND_AT_INSPECTION`,
any other as `HAZARD_FOUND_AT_INSPECTION`; the points are the rule table's. The violation's id
derives from the hazard's and its time is when the hazard was found, so a replay, or the same
hazard event seen twice, records the same violation once. A hazard filed outside an inspection
and a campaign is an order only.
"""

from __future__ import annotations

from tianmen_events import derive_id
from tianmen_events.codes import ViolationCode
from tianmen_events.safety.orders import HazardRecorded

from tianmen_safety.domain.ledger import Finding


def code_of(hazard: HazardRecorded) -> ViolationCode:
    if hazard.major:
        return ViolationCode.MAJOR_HAZARD_FOUND_AT_INSPECTION
    return ViolationCode.HAZARD_FOUND_AT_INSPECTION


def finding_of(hazard: HazardRecorded, *, source_event_id: str) -> Finding | None:
    """The violation a hazard is, when found at an inspection or under a campaign;
    `source_event_id` is the hazard's event (which names the inspection or campaign)."""
    if hazard.inspection_id is None and hazard.campaign_id is None:
        return None
    return Finding(
        hazard.enterprise_id,
        derive_id("violation", "hazard", hazard.hazard_id),
        hazard.machine_id,
        code_of(hazard),
        hazard.found_at,
        source_event_id,
        hazard.type,
    )
