"""Command handlers: load the tip, decide, append events and the contact in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tianmen_events.errors import NotFound
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_reports.adapters.contacts import add_contact
from tianmen_reports.domain.commands import SubmitTip
from tianmen_reports.domain.rules import TipRules, normalised_contact
from tianmen_reports.domain.tip import Tip, decide, fold


@dataclass(frozen=True)
class Submitted:
    tip: Tip
    created: bool


def submit_tip(cmd: SubmitTip, uow: UnitOfWork, now: datetime, rules: TipRules) -> Submitted:
    history = [recorded.event for recorded in uow.events.load(cmd.tip_id)]
    state = fold(history)
    new = decide(state, cmd, now=now, rules=rules)
    if new:
        uow.events.append(
            cmd.tip_id,
            new,
            expected_version=len(history),
            time=now,
            correlation_id=correlation_id.get() or cmd.tip_id,
        )
        if cmd.contact is not None:
            reporter = cmd.reporter or cmd.tip_id
            add_contact(uow.conn, cmd.tip_id, reporter, normalised_contact(cmd.contact), now)
    tip = fold(new, state)
    assert tip is not None
    return Submitted(tip, created=bool(new))


def get_tip(tip_id: str, uow: UnitOfWork) -> Tip:
    tip = fold(recorded.event for recorded in uow.events.load(tip_id))
    if tip is None:
        raise NotFound(f"no tip {tip_id}", field="tip_id")
    return tip
