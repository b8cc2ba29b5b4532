"""Staff steps on a tip, and the duplicates a new tip could follow instead."""

from __future__ import annotations

from datetime import datetime

from tianmen_events.errors import NotFound
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_reports.adapters import tip_index
from tianmen_reports.domain.commands import MergeTip, StaffAction
from tianmen_reports.domain.duplicates import DuplicateRules, similar
from tianmen_reports.domain.tip import Tip, fold
from tianmen_reports.domain.workflow import WorkflowRules, act
from tianmen_reports.service_layer.record import record


def load_tip(uow: UnitOfWork, tip_id: str, field: str = "tip_id") -> tuple[Tip, int]:
    history = [recorded.event for recorded in uow.events.load(tip_id)]
    tip = fold(history)
    if tip is None:
        raise NotFound(f"no tip {tip_id}", field=field)
    return tip, len(history)


def take_step(cmd: StaffAction, uow: UnitOfWork, now: datetime, rules: WorkflowRules) -> Tip:
    tip, version = load_tip(uow, cmd.tip_id)
    if isinstance(cmd, MergeTip):
        load_tip(uow, cmd.into_tip_id, field="into_tip_id")
    new = act(tip, cmd, now=now, rules=rules)
    record(uow, cmd.tip_id, new, version=version, now=now)
    after = fold(new, tip)
    assert after is not None
    tip_index.record(uow.conn, after)
    return after


def duplicates_of(tip: Tip, uow: UnitOfWork, rules: DuplicateRules) -> list[str]:
    others = [load_tip(uow, tip_id)[0] for tip_id in tip_index.around(uow.conn, tip, rules.window)]
    return similar(tip, others, rules)
