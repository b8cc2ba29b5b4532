"""The subscription's table: telemetry alerts and verified tips open cases; the docket's own
events (`safety.case`) move cases and the ledger; every batch ticks the escalation clock,
before its handlers and, when its own events held that tick back, once more after them.

Everything here is derived from the triggering event (its time, its id as causation, ids
derived from it), so replaying the consumed topics into a fresh store rebuilds the same state.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import Connection
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.reports import TipVerified
from tianmen_events.safety.cases import (
    AppealUpheld,
    CaseAcknowledged,
    CaseConfirmed,
    CaseDismissed,
    CaseEscalated,
    CaseOpened,
    docket_of,
)
from tianmen_events.safety.inspections import (
    AccidentRecorded,
    CampaignLaunched,
    KeySupervisionPeriodPassed,
    SelfInspectionMissed,
    SelfInspectionRecorded,
    SpotCheckRecorded,
    ThirdPartyTestLapsed,
    ThirdPartyTestRecorded,
)
from tianmen_events.safety.orders import HazardRecorded, RectificationOverdue, ReinspectionRecorded
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import Prepare
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters.case_map import CaseMap
from tianmen_safety.adapters.filing import Filed
from tianmen_safety.adapters.positions import DocketPositions
from tianmen_safety.adapters.projections import SafetyRows
from tianmen_safety.adapters.watching import Watching
from tianmen_safety.domain import intake
from tianmen_safety.domain.case_rules import CaseRules
from tianmen_safety.domain.rules import PointsRules
from tianmen_safety.service_layer import on_time
from tianmen_safety.service_layer.delisting import tick_delisting
from tianmen_safety.service_layer.desk import apply_docket_event, file_case, tick

CASE_EVENTS = (
    CaseOpened,
    CaseAcknowledged,
    CaseConfirmed,
    CaseDismissed,
    CaseEscalated,
    AppealUpheld,
)
"""The docket's events that move a case's row."""
_CASE_TYPES = frozenset(CASE_EVENTS)
DOCKET_EVENTS = (
    *CASE_EVENTS,
    HazardRecorded,
    RectificationOverdue,
    ReinspectionRecorded,
    SelfInspectionRecorded,
    SelfInspectionMissed,
    SpotCheckRecorded,
    ThirdPartyTestRecorded,
    ThirdPartyTestLapsed,
    CampaignLaunched,
    AccidentRecorded,
    KeySupervisionPeriodPassed,
)
_DOCKET_TYPES = frozenset(DOCKET_EVENTS)
"""As the handlers table dispatches: by exact type (a set's look-up; `isinstance` against a
tuple of 17 pydantic models checks each through ABCMeta when they miss: an alert's 2.5 us)."""


def event_handlers(points: PointsRules, rules: CaseRules) -> EventHandlers:
    def when_alert_raised_open_case(alert: AlertRaised, meta: EventMeta, uow: UnitOfWork) -> None:
        new = intake.from_alert(alert, source_event_id=meta.id, points=points, rules=rules)
        file_case(new, meta, uow)

    def when_tip_verified_open_case(tip: TipVerified, meta: EventMeta, uow: UnitOfWork) -> None:
        file_case(intake.from_tip(tip, source_event_id=meta.id, rules=rules), meta, uow)

    def when_docket_event_apply(event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
        apply_docket_event(event, meta, uow, points=points)

    handlers = (
        EventHandlers()
        .on(AlertRaised, when_alert_raised_open_case)
        .on(TipVerified, when_tip_verified_open_case)
    )
    for docket_event in DOCKET_EVENTS:
        handlers = handlers.on(docket_event, when_docket_event_apply)
    return handlers


def prepare(rules: CaseRules, points: PointsRules) -> Prepare:
    """Before a batch's handlers: read the case rows its docket events move and the ledgers its
    confirmations will ask for, in a few queries, and escalate what the batch's latest event
    time has made overdue (cases, rectifications, self-inspections, tests, key-supervision
    rectification periods)."""

    def read_ahead_and_tick(
        uow: UnitOfWork, batch: Sequence[tuple[DomainEvent, EventMeta]]
    ) -> None:
        if not batch:
            return
        seen = _Seen(batch)
        if seen.moving:
            uow.part(CaseMap, CaseMap).read_ahead(seen.moving)
        if seen.enterprises:
            uow.part(Watching, Watching).read_ahead(seen.enterprises)
        if seen.confirmed:
            asked, unrecorded = _becoming(uow, seen)
            uow.part(SafetyRows, SafetyRows).read(seen.confirmed, asked, unrecorded)
            uow.events.read_versions(seen.confirmed)
        if seen.opening:
            uow.part(Filed, Filed).read_ahead(intake.case_id_of(event) for event in seen.opening)
            dockets = {docket_of(event.enterprise_id) for event in seen.opening}
            uow.events.read_versions(dockets)
            uow.part(DocketPositions, DocketPositions).read_ahead(dockets)
        now = on_time.clock(seen.latest, _unapplied(uow, batch, points, seen.latest))
        uow.part(_Ticked, _Ticked).to = now
        tick(uow, now, rules)
        tick_delisting(uow, now, points)

    return read_ahead_and_tick


def settle(rules: CaseRules, points: PointsRules) -> Prepare:
    """After a batch's handlers: when what the batch brought to the dockets held its tick back
    (`on_time.clock`), tick again to its latest event time, now that all of it is applied. A
    batch that files a test and something later at once then lapses the test itself, instead of
    leaving the lapse to whatever batch comes next, which on a quiet docket may be never."""

    def tick_to_latest(uow: UnitOfWork, batch: Sequence[tuple[DomainEvent, EventMeta]]) -> None:
        latest = max(m.time for _, m in batch)
        ticked = uow.part(_Ticked, _Ticked).to
        if ticked is not None and ticked >= latest:
            return
        tick(uow, latest, rules)
        tick_delisting(uow, latest, points)

    return tick_to_latest


class _Ticked:
    """How far this transaction's tick before the handlers ran (nothing to write)."""

    def __init__(self, conn: Connection) -> None:
        self.to: datetime | None = None

    def flush(self) -> None:
        pass


def _unapplied(
    uow: UnitOfWork,
    batch: Sequence[tuple[DomainEvent, EventMeta]],
    points: PointsRules,
    before: datetime,
) -> Iterator[datetime]:
    """The times of what the batch will bring to the dockets, which its tick must not pass:
    its docket events, and its alerts and tips that open a case not filed yet. Only those
    earlier than `before` and than each one given before it (the clock takes their minimum):
    a time no earlier is skipped before its event is asked whether it opens a case (which
    derives the case's id and looks it up: ~1 us an alert, and most are no earlier)."""
    filed = uow.part(Filed, Filed)
    for event, meta in batch:
        if meta.time >= before:
            continue
        if type(event) in _DOCKET_TYPES or (
            isinstance(event, AlertRaised | TipVerified)
            and intake.opens_case(event, points)
            and not filed.has(intake.case_id_of(event))
        ):
            before = meta.time
            yield before


class _Seen:
    """What a batch's read-ahead needs of it, sorted out in one pass over its events (a
    replay's batch is 2,000 records: each pass over it cost ~0.1 us a record, and there were
    nine)."""

    __slots__ = ("confirmed", "confirming", "enterprises", "latest", "moving", "opened", "opening")

    def __init__(self, batch: Sequence[tuple[DomainEvent, EventMeta]]) -> None:
        self.moving: list[str] = []  # the cases the docket events move (their rows read ahead)
        self.enterprises: set[str] = set()  # the docket events' enterprises (watched or not)
        self.confirmed: set[str] = set()  # the enterprises whose cases are confirmed (ledgers)
        self.confirming: set[str] = set()  # the cases confirmed
        self.opened: list[CaseOpened] = []
        self.opening: list[AlertRaised | TipVerified] = []  # what may open a case
        self.latest = batch[0][1].time  # the batch's latest event time
        for event, meta in batch:
            if meta.time > self.latest:
                self.latest = meta.time
            kind = type(event)
            if kind is AlertRaised or kind is TipVerified:
                self.opening.append(event)  # type: ignore[arg-type]
            elif kind in _DOCKET_TYPES:
                self._docket(kind, event)

    def _docket(self, kind: type[DomainEvent], event: DomainEvent) -> None:
        if kind in _CASE_TYPES:
            self.moving.append(event.case_id)  # type: ignore[attr-defined]
            if kind is CaseOpened:
                self.opened.append(event)  # type: ignore[arg-type]
            elif kind is CaseConfirmed:
                self.confirmed.add(event.enterprise_id)  # type: ignore[attr-defined]
                self.confirming.add(event.case_id)  # type: ignore[attr-defined]
        if enterprise_id := getattr(event, "enterprise_id", None):
            self.enterprises.add(enterprise_id)


def _becoming(uow: UnitOfWork, seen: _Seen) -> tuple[set[str], set[str]]:
    """The violations the batch's confirmations may record (read ahead, so `record` asks no
    query per confirmation): those to look up, of the cases with rows, and those known to be
    unrecorded, of the cases the batch opens that have no row. A case's violation is recorded
    only from its row, written in the same transaction, so a case without a row has none
    (most of a replay's: its opening and confirmation come in one poll)."""
    rows = uow.part(CaseMap, CaseMap)
    asked = {row["violation_id"] for c in seen.confirming if (row := rows.row(c))}
    unrecorded: set[str] = set()
    for event in seen.opened:
        (asked if rows.row(event.case_id) else unrecorded).add(event.violation_id)
    return asked, unrecorded - asked
