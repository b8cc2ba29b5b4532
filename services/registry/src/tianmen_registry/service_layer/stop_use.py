"""Safety's stop-use orders, consumed: the machine is suspended while the order stands and
reinstated when it is lifted. The events take the order's event time and id as their cause, so
a replay of safety's topic derives the same registry events."""

from __future__ import annotations

from tianmen_events import EventMeta
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters.projections import PROJECTIONS
from tianmen_registry.domain import machines
from tianmen_registry.domain.machine_state import Status
from tianmen_registry.service_layer.machine_lifecycle import SetSuspension, decide_suspension
from tianmen_registry.service_layer.recording import events_of, version_of

SAFETY_ACTOR = "safety"


def when_stop_use_ordered_suspend_machine(
    event: MachineStopUseOrdered, meta: EventMeta, uow: UnitOfWork
) -> None:
    order = SetSuspension(event.machine_id, True, event.reason, event.order_id, SAFETY_ACTOR)
    _apply(order, meta, uow)


def when_stop_use_lifted_reinstate_machine(
    event: MachineStopUseLifted, meta: EventMeta, uow: UnitOfWork
) -> None:
    lifting = SetSuspension(event.machine_id, False, event.reason, event.order_id, SAFETY_ACTOR)
    _apply(lifting, meta, uow)


def _apply(cmd: SetSuspension, cause: EventMeta, uow: UnitOfWork) -> None:
    """An order on a machine the registry does not know is a dead letter (NotFound names it);
    one on a deregistered machine changes nothing: its file is closed."""
    history = uow.events.load(cmd.machine_id)
    state = machines.fold(events_of(history))
    if state is not None and state.status is Status.DEREGISTERED:
        return
    new = decide_suspension(state, cmd)
    if not new:
        return
    recorded = uow.events.append_caused_by(
        cause, cmd.machine_id, new, expected_version=version_of(history)
    )
    for item in recorded:
        PROJECTIONS.handle(item.event, item.meta, uow)


def event_handlers() -> EventHandlers:
    return (
        EventHandlers()
        .on(MachineStopUseOrdered, when_stop_use_ordered_suspend_machine)
        .on(MachineStopUseLifted, when_stop_use_lifted_reinstate_machine)
    )
