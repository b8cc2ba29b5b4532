"""Keeping telemetry's track points, and the machines near a tip for its verifier."""

from __future__ import annotations

from tianmen_events import EventMeta
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_reports.adapters.tracks import add_point, points_around
from tianmen_reports.domain.evidence import EvidenceRules, NearbyMachine, nearby_machines
from tianmen_reports.service_layer.workflow import load_tip


def when_terminal_reported_keep_the_point(
    event: TerminalReported, meta: EventMeta, uow: UnitOfWork
) -> None:
    add_point(uow.conn, event)


def event_handlers() -> EventHandlers:
    return EventHandlers().on(TerminalReported, when_terminal_reported_keep_the_point)


def evidence_for(tip_id: str, uow: UnitOfWork, rules: EvidenceRules) -> list[NearbyMachine]:
    tip = load_tip(uow, tip_id)[0]
    points = points_around(uow.conn, tip.submitted_at, rules.window)
    return nearby_machines(tip.latitude, tip.longitude, tip.submitted_at, points, rules)
