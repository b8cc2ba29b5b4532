"""The consumer's side of the desk: alerts and verified tips open cases on the enterprise's
docket; the docket's events, back from `safety.case`, move the case rows and the ledger (a
confirmed case, a hazard found at an inspection: a violation);
every consumed batch's latest event time ticks the escalation clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety.cases import AppealUpheld, CaseConfirmed, CaseOpened, docket_of
from tianmen_events.safety.inspections import (
    AccidentRecorded,
    CampaignLaunched,
    KeySupervisionPeriodPassed,
)
from tianmen_events.safety.orders import HazardRecorded, RectificationOverdue, ReinspectionRecorded
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters import campaign_rows, case_rows, inspection_rows, listings
from tianmen_safety.adapters.case_map import CaseMap, Row
from tianmen_safety.adapters.filing import Filed
from tianmen_safety.adapters.positions import DocketPositions, docket_version
from tianmen_safety.adapters.projections import SafetyRows
from tianmen_safety.adapters.watching import Watching
from tianmen_safety.domain import cases, delisting, found, ledger
from tianmen_safety.domain.case_rules import CaseRules
from tianmen_safety.domain.rules import PointsRules
from tianmen_safety.service_layer import on_time
from tianmen_safety.service_layer.inspections import apply_inspection_event, tick_inspections
from tianmen_safety.service_layer.orders import apply_order_event, tick_overdue

ORDER_EVENTS = (HazardRecorded, RectificationOverdue, ReinspectionRecorded)
ESCALATIONS_PER_TICK = 100
"""A bound on the work one batch's tick does; the rest escalate at the next event."""


def file_case(new: list[DomainEvent], meta: EventMeta, uow: UnitOfWork) -> None:
    """Append a new case's events to its docket, unless the same case is already filed."""
    if not new:
        return
    opened = new[0]
    docket_id = docket_of(opened.enterprise_id)  # type: ignore[attr-defined]
    case_id = opened.case_id  # type: ignore[attr-defined]
    filed = uow.part(Filed, Filed)
    if filed.has(case_id):
        return
    version = docket_version(uow, docket_id)
    uow.events.append_caused_by(meta, docket_id, new, expected_version=version)
    filed.opening(case_id)


def apply_docket_event(
    event: DomainEvent, meta: EventMeta, uow: UnitOfWork, *, points: PointsRules
) -> None:
    """A docket event from the topic: the case row moves; a confirmation becomes a violation
    on the ledger, an upheld appeal gives its points back; an order's event moves the order,
    and a hazard found at an inspection is a violation too."""
    desk = _desk(uow)
    moved = desk.cases.project(event, meta)
    desk.positions.advance(meta)
    if (case_id := getattr(event, "case_id", None)) is not None:
        desk.filed.projected(case_id)
    if (enterprise_id := getattr(event, "enterprise_id", None)) is not None:
        desk.watching.watch(enterprise_id, meta.time)
    # Exact types first (how the handlers table dispatches): the two of every alert, before
    # `isinstance` tests that each cost a check through pydantic's ABCMeta when they miss.
    if type(event) is CaseOpened:
        return
    if type(event) is CaseConfirmed:
        _record(event, meta, uow, points, moved)
    elif isinstance(event, inspection_rows.INSPECTION_EVENTS):
        apply_inspection_event(event, meta, uow)
    elif isinstance(event, CampaignLaunched | AccidentRecorded):
        campaign_rows.project(uow.conn, event)
    elif isinstance(event, ORDER_EVENTS):
        apply_order_event(event, meta, uow)
        if isinstance(event, HazardRecorded):
            _deduct(found.finding_of(event, source_event_id=meta.id), meta, uow, points)
    elif isinstance(event, AppealUpheld):
        _restore(event, meta, uow, points)
    elif isinstance(event, KeySupervisionPeriodPassed):
        _delist(event, meta, uow, points)


class _Desk(NamedTuple):
    """The transaction's parts that every docket event moves, looked up once a transaction
    instead of four times an event (two events an alert in a replay)."""

    cases: CaseMap
    positions: DocketPositions
    filed: Filed
    watching: Watching

    def flush(self) -> None:
        """Nothing of its own: each of its parts is the unit of work's and flushes itself."""


def _desk(uow: UnitOfWork) -> _Desk:
    desk = uow.parts.get(_Desk)
    if desk is None:
        desk = uow.parts[_Desk] = _Desk(
            uow.part(CaseMap, CaseMap),
            uow.part(DocketPositions, DocketPositions),
            uow.part(Filed, Filed),
            uow.part(Watching, Watching),
        )
    assert type(desk) is _Desk
    return desk


def _record(
    event: CaseConfirmed,
    meta: EventMeta,
    uow: UnitOfWork,
    points: PointsRules,
    moved: tuple[Row, cases.Case] | None,
) -> None:
    """`moved`: the case's row (what it was opened with) and the case after the confirmation."""
    if moved is None or moved[1].state != cases.CaseState.CONFIRMED:
        return  # the confirmation came after the case was decided otherwise
    row, case = moved
    finding = ledger.Finding(
        row["enterprise_id"],
        row["violation_id"],
        row["machine_id"],
        case.code,
        datetime.fromisoformat(row["occurred_at"]),
        row["source_event_id"],
        row["source_event_type"],
    )
    _deduct(finding, meta, uow, points)


def _deduct(
    finding: ledger.Finding | None, meta: EventMeta, uow: UnitOfWork, points: PointsRules
) -> None:
    """A violation found (a confirmed case, a hazard found at an inspection) on the ledger."""
    if finding is None:
        return
    rows = uow.part(SafetyRows, SafetyRows)
    state = rows.ledger(finding.enterprise_id)
    new = ledger.record(state, finding, recorded=rows, rules=points)
    _append(uow, meta, state, new, points)


def _restore(event: AppealUpheld, meta: EventMeta, uow: UnitOfWork, points: PointsRules) -> None:
    rows = uow.part(SafetyRows, SafetyRows)
    deducted = rows.deduction(event.violation_id)
    if deducted is None:
        return  # never deducted, or already restored
    state = rows.ledger(event.enterprise_id)
    _append(
        uow, meta, state, ledger.restore(state, deducted, reason=event.reason, rules=points), points
    )


def _delist(
    event: KeySupervisionPeriodPassed, meta: EventMeta, uow: UnitOfWork, points: PointsRules
) -> None:
    state = uow.part(SafetyRows, SafetyRows).ledger(event.enterprise_id)
    last = listings.last_violation_at(uow.conn, event.enterprise_id, event.cycle_year)
    cycle = state.cycle(event.cycle_year)
    delisted = delisting.delist(cycle, event, last_violation_at=last, rules=points)
    _append(uow, meta, state, [delisted] if delisted else [], points)


def _append(
    uow: UnitOfWork,
    meta: EventMeta,
    state: ledger.Ledger,
    new: list[DomainEvent],
    points: PointsRules,
) -> None:
    """The ledger's new events, caused by the docket event, and its rows brought up to date."""
    if not new:
        return
    enterprise_id = state.enterprise_id
    version = uow.events.version(enterprise_id)
    appended = uow.events.append_caused_by(meta, enterprise_id, new, expected_version=version)
    rows = uow.part(SafetyRows, SafetyRows)
    rows.project(appended, ledger.fold(enterprise_id, new, state), points)
    uow.part(listings.Listings, listings.Listings).project(appended, points)


def tick(uow: UnitOfWork, now: datetime, rules: CaseRules) -> None:
    """Escalate the cases whose deadline passed by `now` (the batch's clock, `on_time.clock`;
    dated at the deadline), and make the rectifications overdue whose deadline passed by then."""
    for row in case_rows.due(uow.conn, now, ESCALATIONS_PER_TICK):
        escalated = cases.escalate(case_rows.current(uow.conn, row), now, rules)
        if escalated is not None and on_time.caught_up(uow, escalated.docket_id, escalated.at):
            on_time.to_docket(uow, escalated, escalated.at, "escalation", escalated.case_id)
    tick_overdue(uow, now)
    tick_inspections(uow, now)
