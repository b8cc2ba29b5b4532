"""Importing a register, 500 rows per transaction, each row decided on its own.

Per chunk: parse every row, register the enterprises it names that are new, read in one query
each which machines and identity keys already exist, decide every machine in memory (the file's
own earlier rows count), then append all accepted machines' events and query rows in a few
statements. A refused row is reported with its row number and column; the rows around it go
on. A machine already registered to the same enterprise is `unchanged`, so rerunning the same
file creates nothing twice. A chunk that loses a race to a concurrent writer is decided again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Engine
from tianmen_events import DomainEvent
from tianmen_events.errors import DomainError
from tianmen_events.registry import MachineRegistered
from tianmen_runtime.commands import run_command
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import queries, reference
from tianmen_registry.adapters.projections import machines_registered
from tianmen_registry.adapters.tabular import Row
from tianmen_registry.domain import enterprises, identity, machines
from tianmen_registry.domain.commands import RegisterMachine
from tianmen_registry.domain.enterprises import Enterprise
from tianmen_registry.domain.import_rows import ImportedRow, parse_row
from tianmen_registry.domain.jurisdictions import Jurisdictions
from tianmen_registry.service_layer import handlers
from tianmen_registry.service_layer.recording import events_of

CHUNK = 500
Progress = Callable[[int], None]
Refusal = dict[str, object]
Owned = tuple[int, RegisterMachine, Enterprise]  # row number, command, its enterprise


@dataclass
class Report:
    created: int = 0
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.unchanged + len(self.refused)

    def add(self, other: Report) -> None:
        self.created += other.created
        self.unchanged += other.unchanged
        self.refused += other.refused


def import_rows(
    engine: Engine,
    source: str,
    rows: Iterable[Row],
    now: datetime,
    progress: Progress | None = None,
) -> Report:
    report, chunk = Report(), list[Row]()
    for row in [*rows, None]:
        if row is not None:
            chunk.append(row)
        if chunk and (row is None or len(chunk) == CHUNK):
            report.add(run_command(engine, source, _import_chunk, chunk, now))
            chunk = []
            if progress:
                progress(report.rows)
    return report


def _import_chunk(chunk: list[Row], uow: UnitOfWork, now: datetime) -> Report:
    report, parsed = Report(), list[tuple[int, ImportedRow]]()
    for number, row in chunk:
        try:
            parsed.append((number, parse_row(row)))
        except DomainError as exc:
            _refuse(report, number, exc)
    accepted = _decided(uow, _with_enterprises(uow, parsed, now, report), report)
    _append(uow, accepted, now)
    report.created += len(accepted)
    return report


def _decided(uow: UnitOfWork, owned: list[Owned], report: Report) -> list[DomainEvent]:
    """The machines' registrations, judged against the register read in two queries and the
    file's earlier rows; already registered to the same enterprise counts as unchanged."""
    ids = [machines.machine_id_for(cmd.brand, cmd.serial_number) for _, cmd, _ in owned]
    existing = queries.owners(uow.conn, ids)
    held = queries.identities_held(
        uow.conn, {item for _, cmd, _ in owned for item in identity.identity_keys(cmd).items()}
    )
    accepted = list[DomainEvent]()
    for (number, cmd, enterprise), machine_id in zip(owned, ids, strict=True):
        if existing.get(machine_id) == cmd.enterprise_id:
            report.unchanged += 1
            continue
        keys = set(identity.identity_keys(cmd).items())
        taken = {kind for kind, _ in keys & held}
        try:
            accepted += machines.decide_register(
                enterprise, None, cmd, taken=taken, jurisdictions=_jurisdictions()
            )
        except DomainError as exc:
            _refuse(report, number, exc)
            continue
        held |= keys
    return accepted


def _with_enterprises(
    uow: UnitOfWork, parsed: list[tuple[int, ImportedRow]], now: datetime, report: Report
) -> list[Owned]:
    """Each row's machine command with its enterprise, registering enterprises new to the
    register; a row whose enterprise is refused is refused with the enterprise's fault."""
    known: dict[str, Enterprise | DomainError] = {}
    owned = []
    for number, row in parsed:
        enterprise_id = enterprises.enterprise_id_for(row.enterprise.uscc)
        if enterprise_id not in known:
            known[enterprise_id] = _enterprise(uow, row, now)
        found = known[enterprise_id]
        if isinstance(found, DomainError):
            _refuse(report, number, found)
        else:
            owned.append((number, replace(row.machine, enterprise_id=enterprise_id), found))
    return owned


def _enterprise(uow: UnitOfWork, row: ImportedRow, now: datetime) -> Enterprise | DomainError:
    enterprise_id = enterprises.enterprise_id_for(row.enterprise.uscc)
    state = enterprises.fold(events_of(uow.events.load(enterprise_id)))
    if state is not None:
        return state
    try:
        with uow.conn.begin_nested():
            handlers.register_enterprise(row.enterprise, uow, now)
    except DomainError as exc:
        return exc
    registered = enterprises.fold(events_of(uow.events.load(enterprise_id)))
    assert registered is not None
    return registered


def _append(uow: UnitOfWork, accepted: list[DomainEvent], now: datetime) -> None:
    batch = [(event.subject_id(), [event]) for event in accepted]
    uow.events.append_new(batch, time=now, correlation_id=correlation_id.get() or str(uuid.uuid4()))
    registered = [event for event in accepted if isinstance(event, MachineRegistered)]
    if registered:
        machines_registered(uow, registered)


def _jurisdictions() -> Jurisdictions:
    return reference.current().jurisdictions


def _refuse(report: Report, number: int, exc: DomainError) -> None:
    report.refused.append({"row": number, "column": exc.field, "reason": exc.detail})
