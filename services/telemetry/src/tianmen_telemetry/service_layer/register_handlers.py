"""Handlers that keep the registry's word: machines' standing, sites, permits, zones."""

from __future__ import annotations

from datetime import datetime

from tianmen_events import EventMeta
from tianmen_events.registry import (
    AnnualReviewOverdue,
    AnnualReviewPassed,
    FuelTankAmended,
    MachineDeregistered,
    MachineDetailsChanged,
    MachineRegistered,
    MachineReinstated,
    MachineSuspended,
    MachineTransferred,
    NightWorkPermitIssued,
    RestrictedZoneDeclared,
    WorkSiteRegistered,
)
from tianmen_events.safety import ThirdPartyTestExpired
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.recorded import recorded_ms
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_telemetry.adapters import register_store as store
from tianmen_telemetry.adapters.binding_ends import BindingEnds
from tianmen_telemetry.adapters.owners import Owners, Transfer
from tianmen_telemetry.adapters.terminal_binds import MachineRows
from tianmen_telemetry.domain.register import (
    ACTIVE,
    DEREGISTERED,
    REVIEW_OVERDUE,
    SUSPENDED,
    TEST_EXPIRED,
)
from tianmen_telemetry.domain.standings import REVIEW_PASSED, Said


def note_machine(event: MachineRegistered, meta: EventMeta, uow: UnitOfWork) -> None:
    machine_rows(uow).note(
        event.machine_id,
        jurisdiction=event.jurisdiction_code,
        high_risk=event.high_risk,
        brand=event.brand,
        model=event.model,
        serial_number=event.serial_number,
        engine_number=event.engine_number or None,
        fuel_tank_litres=event.fuel_tank_litres,
    )
    if event.fuel_tank_litres is not None:
        tank = (store.REGISTRATION, None, event.fuel_tank_litres)
        store.record_tank(uow.conn, event.machine_id, *tank, recorded_ms.get())
    said = {"jurisdiction": event.jurisdiction_code, "engine_number": event.engine_number or None}
    identities(uow).record(event.machine_id, meta.time, recorded_ms.get(), **said)


def note_details(event: MachineDetailsChanged, meta: EventMeta, uow: UnitOfWork) -> None:
    """The latest said for the views; dated for the alerts (a report before the change, or
    recorded before it, keeps the jurisdiction it had)."""
    if event.jurisdiction_code is not None:
        machine_rows(uow).note(event.machine_id, jurisdiction=event.jurisdiction_code)
        identities(uow).record(
            event.machine_id,
            meta.time,
            recorded_ms.get(),
            jurisdiction=event.jurisdiction_code,
        )


def amend_tank(event: FuelTankAmended, meta: EventMeta, uow: UnitOfWork) -> None:
    """From the amendment's time on, the JT/T 808 server levels litres with the new capacity
    (a report from before keeps the old one), and so does the worker each report's fuel drop
    for the daily litres, among the tanks recorded before the report (decision 120); the
    machine's row keeps the latest, for the fleet's `FuelUsed` unit."""
    machine_rows(uow).note(event.machine_id, fuel_tank_litres=event.fuel_tank_litres)
    litres, recorded = event.fuel_tank_litres, recorded_ms.get()
    store.record_tank(uow.conn, event.machine_id, meta.id, meta.time, litres, recorded)


def transfer(event: MachineTransferred, meta: EventMeta, uow: UnitOfWork) -> None:
    """The buyer's from the transfer's time on: a report is charged to the owner at its time
    (decision 91); the machine's row names the owner by the latest transfer, for the views."""
    kept = owners(uow)
    sold = Transfer(
        meta.time, meta.id, event.from_enterprise_id, event.enterprise_id, recorded_ms.get()
    )
    kept.record(event.machine_id, sold)
    latest = kept.latest(event.machine_id)
    if latest is not None:
        machine_rows(uow).transfer(event.machine_id, latest)


def suspend(event: MachineSuspended, meta: EventMeta, uow: UnitOfWork) -> None:
    _stand(uow, event.machine_id, SUSPENDED, meta.time, meta)


def reinstate(event: MachineReinstated, meta: EventMeta, uow: UnitOfWork) -> None:
    _stand(uow, event.machine_id, ACTIVE, meta.time, meta)


def deregister(event: MachineDeregistered, meta: EventMeta, uow: UnitOfWork) -> None:
    """Deregistered from its time; an unbind of the machine at the same instant that did not
    say why (an old `TerminalUnbound`) was this deregistration's, not an explicit one."""
    machine_rows(uow).deregistered(event.machine_id, meta.time)
    settle_ends(uow)
    _stand(uow, event.machine_id, DEREGISTERED, meta.time, meta)


def review_overdue(event: AnnualReviewOverdue, meta: EventMeta, uow: UnitOfWork) -> None:
    """A high-risk machine may not work uninspected (a stop-use order weighs more: the fold)."""
    if _is_high_risk(uow, event.machine_id):
        _stand(uow, event.machine_id, REVIEW_OVERDUE, meta.time, meta)


def test_expired(event: ThirdPartyTestExpired, meta: EventMeta, uow: UnitOfWork) -> None:
    """From the moment the test ran out, not the moment safety said so: a report in between
    is judged with it (a stop-use order still weighs more)."""
    if _is_high_risk(uow, event.machine_id):
        _stand(uow, event.machine_id, TEST_EXPIRED, event.expired_at, meta)


def review_passed(event: AnnualReviewPassed, meta: EventMeta, uow: UnitOfWork) -> None:
    """A passed inspection ends an overdue review and an expired third-party test alike."""
    _stand(uow, event.machine_id, REVIEW_PASSED, meta.time, meta)


def machine_rows(uow: UnitOfWork) -> MachineRows:
    """This transaction's machines and binds, written once before the commit (decision 90)."""
    return uow.part(MachineRows, MachineRows)


def binding_ends(uow: UnitOfWork) -> BindingEnds:
    """This transaction's binding ends, pending until their machine's reports are in."""
    return uow.part(BindingEnds, BindingEnds)


def settle_ends(uow: UnitOfWork) -> None:
    """The ends of the terminals the binds just derived again, as all their binds say
    (decision 99): kept, or dropped while pending."""
    ends = binding_ends(uow)
    for terminal_id, found in machine_rows(uow).binds.ends().items():
        ends.settle(terminal_id, found)


def owners(uow: UnitOfWork) -> Owners:
    """This transaction's machines' transfers, written once before the commit (decision 91)."""
    return uow.part(Owners, Owners)


def identities(uow: UnitOfWork) -> store.Identities:
    """This transaction's machine identities, written once before the commit (decision 90)."""
    return uow.part(store.Identities, store.Identities)


def settle_register(uow: UnitOfWork) -> None:
    """Before the registry's word is read in the transaction: what it said written first."""
    kept = uow.parts.get(store.Identities)
    if isinstance(kept, store.Identities):
        kept.flush()


def _is_high_risk(uow: UnitOfWork, machine_id: str) -> bool:
    """As kept, with what this transaction said of the machine written first."""
    rows = uow.parts.get(MachineRows)
    if isinstance(rows, MachineRows):
        rows.flush()
    return store.is_high_risk(uow.conn, machine_id)


def _stand(uow: UnitOfWork, machine_id: str, said: str, at: datetime, meta: EventMeta) -> None:
    """Said of the machine from `at` on, as the log recorded it (a report recorded earlier does
    not see it); the standing a report meets is folded from all of it (`domain/standings`)."""
    store.record_standing(uow.conn, machine_id, Said(at, said, meta.id), recorded_ms.get())


def site(event: WorkSiteRegistered, meta: EventMeta, uow: UnitOfWork) -> None:
    store.record_site(uow.conn, event, meta.time, recorded_ms.get())


def permit(event: NightWorkPermitIssued, meta: EventMeta, uow: UnitOfWork) -> None:
    store.record_permit(uow.conn, event, recorded_ms.get())


def zone(event: RestrictedZoneDeclared, meta: EventMeta, uow: UnitOfWork) -> None:
    store.record_zone(uow.conn, event, meta.time, recorded_ms.get())


def with_register_handlers(handlers: EventHandlers) -> EventHandlers:
    return (
        handlers.on(MachineRegistered, note_machine)
        .on(MachineDetailsChanged, note_details)
        .on(FuelTankAmended, amend_tank)
        .on(MachineTransferred, transfer)
        .on(MachineSuspended, suspend)
        .on(MachineReinstated, reinstate)
        .on(MachineDeregistered, deregister)
        .on(AnnualReviewOverdue, review_overdue)
        .on(AnnualReviewPassed, review_passed)
        .on(ThirdPartyTestExpired, test_expired)
        .on(WorkSiteRegistered, site)
        .on(NightWorkPermitIssued, permit)
        .on(RestrictedZoneDeclared, zone)
    )
