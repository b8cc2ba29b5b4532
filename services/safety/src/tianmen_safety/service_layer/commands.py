"""Staff decisions on a case: acknowledge, confirm, dismiss, escalate, uphold an appeal. Each is decided
on the case as the docket has it (its row and the docket's events still in flight), appended to
the docket with the command's time and actor, and takes effect when the consumer applies it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_events.errors import NotFound
from tianmen_events.safety.cases import docket_of
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters import case_rows
from tianmen_safety.adapters.positions import docket_version
from tianmen_safety.domain import cases
from tianmen_safety.domain.case_rules import CASE_RULES
from tianmen_safety.domain.cases import Case


@dataclass(frozen=True)
class DecideCase:
    case_id: str
    decision: str
    actor: str
    reason: str = ""


Decision = Callable[[Case, DecideCase, datetime], DomainEvent]

DECISIONS: dict[str, Decision] = {
    "acknowledge": lambda case, cmd, now: cases.acknowledge(case, actor=cmd.actor, at=now),
    "confirm": lambda case, cmd, now: cases.confirm(case, actor=cmd.actor, at=now),
    "dismiss": lambda case, cmd, now: cases.dismiss(
        case, actor=cmd.actor, reason=cmd.reason, at=now
    ),
    "escalate": lambda case, cmd, now: cases.send_up(
        case, actor=cmd.actor, reason=cmd.reason, at=now, rules=CASE_RULES
    ),
    "appeal": lambda case, cmd, now: cases.uphold_appeal(
        case, actor=cmd.actor, reason=cmd.reason, at=now
    ),
}


def decide_case(cmd: DecideCase, uow: UnitOfWork, now: datetime) -> Recorded:
    row = case_rows.load(uow.conn, cmd.case_id)
    if row is None:
        raise NotFound(f"no case {cmd.case_id}", field="case_id")
    event = DECISIONS[cmd.decision](case_rows.current(uow.conn, row), cmd, now)
    docket_id = docket_of(row.enterprise_id)
    [recorded] = uow.events.append(
        docket_id,
        [event],
        expected_version=docket_version(uow, docket_id),
        time=now,
        correlation_id=correlation_id.get() or cmd.case_id,
    )
    return recorded
