"""Command handlers: load the tip, decide, append events and the contact in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_events.errors import NotFound
from tianmen_events.reports import ReporterBlocked
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_reports.adapters import jurisdictions, tip_index
from tianmen_reports.adapters.contacts import add_contact
from tianmen_reports.domain.commands import SubmitTip
from tianmen_reports.domain.duplicates import DuplicateRules
from tianmen_reports.domain.moderation import ModerationRules, admit, reporter_stream
from tianmen_reports.domain.routing import Jurisdictions, route
from tianmen_reports.domain.rules import TipRules, normalised_contact
from tianmen_reports.domain.submission import decide
from tianmen_reports.domain.tip import Tip, fold
from tianmen_reports.domain.workflow import WorkflowRules
from tianmen_reports.service_layer.record import record
from tianmen_reports.service_layer.workflow import duplicates_of


@dataclass(frozen=True)
class Submitted:
    tip: Tip
    created: bool
    similar: tuple[str, ...] = ()


@dataclass(frozen=True)
class Intake:
    """What a submission is checked, routed and compared by (the jurisdictions are a port)."""

    rules: TipRules = field(default_factory=TipRules)
    jurisdictions: Jurisdictions = field(default_factory=jurisdictions.load)
    workflow: WorkflowRules = field(default_factory=WorkflowRules)
    duplicates: DuplicateRules = field(default_factory=DuplicateRules)
    moderation: ModerationRules = field(default_factory=ModerationRules)


def submit_tip(cmd: SubmitTip, uow: UnitOfWork, now: datetime, intake: Intake) -> Submitted:
    history = [recorded.event for recorded in uow.events.load(cmd.tip_id)]
    state = fold(history)
    if state is None and cmd.reporter is not None:
        _admit(cmd.reporter, uow, now, intake.moderation)
    new = decide(state, cmd, now=now, rules=intake.rules)
    if new:
        assign_within = intake.workflow.assign_within
        new.append(
            route(
                cmd.tip_id,
                cmd.latitude,
                cmd.longitude,
                intake.jurisdictions,
                now=now,
                assign_within=assign_within,
            )
        )
        _record(cmd, new, uow, now, expected_version=len(history))
    tip = fold(new, state)
    assert tip is not None
    tip_index.record(uow.conn, tip)
    similar = duplicates_of(tip, uow, intake.duplicates)
    return Submitted(tip, created=bool(new), similar=tuple(similar))


def _admit(reporter: str, uow: UnitOfWork, now: datetime, rules: ModerationRules) -> None:
    stream = uow.events.load(reporter_stream(reporter))
    blocked = any(isinstance(r.event, ReporterBlocked) for r in stream)
    admit(
        blocked=blocked,
        recent_tips=tip_index.tips_by(uow.conn, reporter, now - rules.per),
        rules=rules,
    )


def _record(
    cmd: SubmitTip, new: list[DomainEvent], uow: UnitOfWork, now: datetime, expected_version: int
) -> None:
    record(uow, cmd.tip_id, new, version=expected_version, now=now)
    if cmd.contact is not None:
        reporter = cmd.reporter or cmd.tip_id
        add_contact(uow.conn, cmd.tip_id, reporter, normalised_contact(cmd.contact), now)


def get_tip(tip_id: str, uow: UnitOfWork) -> Tip:
    tip = fold(recorded.event for recorded in uow.events.load(tip_id))
    if tip is None:
        raise NotFound(f"no tip {tip_id}", field="tip_id")
    return tip
