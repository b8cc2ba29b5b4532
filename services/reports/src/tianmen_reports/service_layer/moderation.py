"""Hiding an abusive tip's text; blocking a pseudonymous reporter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tianmen_events.reports import ReporterBlocked, TipHidden
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_reports.domain.moderation import reporter_stream
from tianmen_reports.service_layer.record import record
from tianmen_reports.service_layer.workflow import load_tip


@dataclass(frozen=True)
class Moderate:
    subject: str  # a tip id to hide, or a reporter's pseudonym to block
    reason: str
    actor: str


def hide_tip(cmd: Moderate, uow: UnitOfWork, now: datetime) -> None:
    tip, version = load_tip(uow, cmd.subject)
    if tip.hidden:
        return
    hidden = TipHidden(tip_id=tip.tip_id, reason=cmd.reason, actor=cmd.actor, hidden_at=now)
    record(uow, tip.tip_id, [hidden], version=version, now=now)


def block_reporter(cmd: Moderate, uow: UnitOfWork, now: datetime) -> None:
    stream = reporter_stream(cmd.subject)
    version = uow.events.version(stream)
    if version:
        return  # already blocked
    blocked = ReporterBlocked(
        reporter=cmd.subject, reason=cmd.reason, actor=cmd.actor, blocked_at=now
    )
    record(uow, stream, [blocked], version=version, now=now)
