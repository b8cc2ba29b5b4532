"""Telemetry's use cases: the ingest command, and the event handlers its subscription runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tianmen_events import DomainEvent, EventMeta
from tianmen_events.codes import AlertRule
from tianmen_events.registry import (
    MachineDeregistered,
    MachineDetailsChanged,
    MachineRegistered,
    MachineTransferred,
    TerminalBound,
    TerminalUnbound,
)
from tianmen_events.telemetry import AlertCleared, AlertRaised, TerminalReported
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.metrics import ALERTS_RAISED
from tianmen_runtime.recorded import recorded_ms, recorded_partition
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_telemetry.adapters import projections
from tianmen_telemetry.adapters.metrics import ALERTS_CLEARED, DATA_QUALITY_FINDINGS
from tianmen_telemetry.adapters.report_batch import ReportBatch
from tianmen_telemetry.adapters.usage_days import UsageDays
from tianmen_telemetry.domain import alerts, area, live_state
from tianmen_telemetry.domain.alerts import OpenAlert
from tianmen_telemetry.domain.area import TIANMEN as CITY
from tianmen_telemetry.domain.bindings import Bind, End, Holder
from tianmen_telemetry.domain.commands import SubmitReports
from tianmen_telemetry.domain.ingest import DEFAULT_WINDOW, AcceptanceWindow, accept_reports
from tianmen_telemetry.domain.register import NOTHING_KNOWN, Register
from tianmen_telemetry.domain.rules import RULES, Seen
from tianmen_telemetry.service_layer.ports import BindingLookup, ReportSink
from tianmen_telemetry.service_layer.register_handlers import (
    binding_ends,
    identities,
    machine_rows,
    owners,
    settle_ends,
    settle_register,
    with_register_handlers,
)


def submit_reports(
    cmd: SubmitReports,
    bindings: BindingLookup,
    sink: ReportSink,
    *,
    now: datetime,
    window: AcceptanceWindow = DEFAULT_WINDOW,
) -> int:
    """Accept the whole batch or none of it; returns once the reports are durable."""
    known = bindings(r.terminal_id for r in cmd.reports)
    reports = accept_reports(cmd, known, now=now, window=window)
    sink.publish(reports)
    return len(reports)


def record_machine(event: MachineRegistered, meta: EventMeta, uow: UnitOfWork) -> None:
    machine_rows(uow).record_machine(event.machine_id, event.enterprise_id)


def bind_terminal(event: TerminalBound, meta: EventMeta, uow: UnitOfWork) -> None:
    _bind(_bind_of(event, meta), uow)


def unbind_terminal(event: TerminalUnbound, meta: EventMeta, uow: UnitOfWork) -> None:
    """An explicit unbind ends the terminal's period at its time, kept like a bind (decision
    92). The unbind a deregistration makes is not applied: the terminal keeps its machine as
    holder, so its reports of work meet the deregistered standing (`stopped_machine_working`).
    An old event that does not say which is kept, and forgotten by the machine's
    `MachineDeregistered` at the same instant (`register_handlers.deregister`)."""
    if event.reason != "deregistered":
        _bind(_bind_of(event, meta), uow)


def _bind(bind: Bind, uow: UnitOfWork) -> None:
    """Kept as said (decision 82); a machine it leaves with no terminal has its alerts ended,
    once the reports recorded before it are in (decision 99, `adapters/binding_ends`)."""
    machine_rows(uow).bind(bind)
    settle_ends(uow)


def _bind_of(event: TerminalBound | TerminalUnbound, meta: EventMeta) -> Bind:
    recorded = recorded_ms.get()
    if isinstance(event, TerminalUnbound):
        left = event.machine_id
        return Bind(event.terminal_id, None, meta.time, meta.id, left=left, recorded=recorded)
    holder = Holder(event.machine_id, event.enterprise_id)
    return Bind(event.terminal_id, holder, meta.time, meta.id, recorded=recorded)


def _kept_as_bind(event: DomainEvent) -> bool:
    if isinstance(event, TerminalUnbound):
        return event.reason != "deregistered"
    return isinstance(event, TerminalBound)


def set_aside_non_positions(event: TerminalReported, meta: EventMeta, uow: UnitOfWork) -> None:
    """A report outside the city's area is a data-quality finding, not a position."""
    detail = area.outside(event, CITY)
    if detail is not None:
        event = owners(uow).charged(event, recorded_ms.get())
        projections.record_finding(uow.conn, event, "position_outside_area", detail)
        DATA_QUALITY_FINDINGS.labels("position_outside_area").inc()


def apply_report(event: TerminalReported, meta: EventMeta, uow: UnitOfWork) -> None:
    """Fold the report into the machine's live state and raise what the rules see in it."""
    if event.reported_at.tzinfo is None:
        raise ValueError(f"report {event.report_id}: reported_at has no timezone")
    if not _is_position(event):
        return
    recorded, partition = recorded_ms.get(), recorded_partition.get()
    ends = binding_ends(uow)
    batch = _batch(uow)
    for end in ends.due(partition, recorded):  # the reports recorded before it are in
        _end_alerts(end, uow, batch)
    event = owners(uow).charged(event, recorded)  # the owner at its time (decision 91)
    batch.keep_point(event)
    before = batch.live_state(event)
    after = live_state.evolve(before, event)
    if after is not before:
        batch.keep_state(after)
        uow.part(UsageDays, UsageDays).count(before, event, recorded)  # the day's usage
    register = _register_for(event, recorded, batch, uow) if event.working else NOTHING_KNOWN
    decision = alerts.decide(
        Seen(event, before, after, register),
        rules=RULES,
        raised=batch.raised,
        open_alerts=batch.open_alerts(event.machine_id),
    )
    for cleared in decision.cleared:
        _append(cleared, meta, uow)
        batch.clear_alert(cleared)
        ALERTS_CLEARED.labels(cleared.rule).inc()
    for alert in decision.raised:
        _append(alert, meta, uow)
        batch.raise_alert(alert, hold_open=alert in decision.opened)
        ALERTS_RAISED.labels(alert.rule).inc()
    if decision.opened:
        _held_open(event, decision.opened, recorded, partition, uow, batch)


def _held_open(
    event: TerminalReported,
    opened: Sequence[AlertRaised],
    recorded: int | None,
    partition: int | None,
    uow: UnitOfWork,
    batch: ReportBatch,
) -> None:
    """Alerts held open: their machine's partition is kept for its binding ends, one waiting
    for it is due now (this report was recorded after it), and one done already after the
    report's time (a buffered report from before the end, recorded after it) ends them."""
    ends = binding_ends(uow)
    ends.held_on(event.machine_id, partition)
    for end in ends.due(partition, recorded):
        _end_alerts(end, uow, batch)
    after = ends.ended_after(event.machine_id, event.terminal_id, event.reported_at, recorded)
    if after is not None:
        _end_alerts(after, uow, batch)


def _end_alerts(end: End, uow: UnitOfWork, batch: ReportBatch) -> None:
    """The machine's open alerts raised through the terminal before it was taken off the
    machine clear there (read from the store: the batch's alert rows written first)."""
    batch.write_alerts()
    for held in binding_ends(uow).held_before(end):
        open_alert = OpenAlert(held.alert_id, held.enterprise_id, held.jurisdiction)
        cleared = alerts.ended(
            end, open_alert, end.machine_id, AlertRule(held.rule), held.rule_version
        )
        _append_caused(cleared, end.event_id, end.event_id, uow)
        batch.clear_alert(cleared)
        ALERTS_CLEARED.labels(cleared.rule).inc()


def _register_for(
    event: TerminalReported, recorded: int | None, batch: ReportBatch, uow: UnitOfWork
) -> Register:
    """What the registry had said by the report; what it said in this transaction is written
    before the batch reads it, once a read (a registry event makes the next report read it)."""
    if not batch.has_register_for(event):
        settle_register(uow)
    return batch.register_for(event, recorded)


def read_ahead(uow: UnitOfWork, events: Sequence[tuple[DomainEvent, EventMeta]]) -> None:
    """Before a transaction's handlers: its reports' machines' rows, and the binds and
    machines its registry records change, in a few queries."""
    reports: list[TerminalReported] = []
    others: list[tuple[DomainEvent, EventMeta]] = []  # the registry's, a few if any: sorted
    for event, meta in events:  # once, not a pass over every event for each kind
        if isinstance(event, TerminalReported):
            reports.append(event)
        else:
            others.append((event, meta))
    sold = [e.machine_id for e, _ in others if isinstance(e, MachineTransferred)]
    if reports or sold:
        owners(uow).read_ahead([*(r.machine_id for r in reports), *sold])
    if reports:
        _batch(uow).read_ahead(reports, owners(uow).enterprises())
    if not others:
        return
    binds = [
        _bind_of(e, meta)
        for e, meta in others
        if isinstance(e, TerminalBound | TerminalUnbound) and _kept_as_bind(e)
    ]
    noted = [
        e.machine_id for e, _ in others if isinstance(e, MachineRegistered | MachineDetailsChanged)
    ]
    gone = [e.machine_id for e, _ in others if isinstance(e, MachineDeregistered)]
    if binds or noted or gone:
        rows = machine_rows(uow)
        rows.read_ahead(binds, [*noted, *gone])
        if binds or gone:  # their terminals' ends, settled as the binds derive them again
            known = {t for t, _ in rows.binds.binds}
            binding_ends(uow).read_ahead(known | {b.terminal_id for b in binds})
    if noted:
        identities(uow).read_ahead(noted)


def forget_register(event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
    """After the registry's word changed: the reports after it in the transaction read it anew."""
    batch = uow.parts.get(ReportBatch)
    if isinstance(batch, ReportBatch):
        batch.forget_register()


def _batch(uow: UnitOfWork) -> ReportBatch:
    return uow.part(ReportBatch, ReportBatch)


def _is_position(event: TerminalReported) -> bool:
    return CITY.contains(event.latitude, event.longitude)


def _append(alert: AlertRaised | AlertCleared, cause: EventMeta, uow: UnitOfWork) -> None:
    _append_caused(alert, cause.id, cause.correlation_id, uow)


def _append_caused(
    alert: AlertRaised | AlertCleared, causation_id: str, correlation_id: str, uow: UnitOfWork
) -> None:
    aggregate = alert.subject_id()
    at = alert.observed_at if isinstance(alert, AlertRaised) else alert.cleared_at
    uow.events.append(
        aggregate,
        [alert],
        expected_version=uow.events.version(aggregate),
        time=at,
        correlation_id=correlation_id,
        causation_id=causation_id,
    )


def _then_forget_register(handlers: EventHandlers) -> EventHandlers:
    for kind in [kind for kind in handlers if kind is not TerminalReported]:
        handlers = handlers.on(kind, forget_register)
    return handlers


EVENT_HANDLERS = _then_forget_register(
    with_register_handlers(
        EventHandlers()
        .on(MachineRegistered, record_machine)
        .on(TerminalBound, bind_terminal)
        .on(TerminalUnbound, unbind_terminal)
        .on(TerminalReported, set_aside_non_positions)
        .on(TerminalReported, apply_report)
    )
)
