"""Importing a register: every row decided alone (a savepoint each), committed in chunks.

A refused row is rolled back to its savepoint and reported with its row number and column; the
rows around it go on. A row naming a machine already registered to the same enterprise is
`unchanged`, so running the same file again creates nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from tianmen_events.errors import Conflict, DomainError
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

from tianmen_registry.adapters import queries
from tianmen_registry.adapters.tabular import Row
from tianmen_registry.domain import enterprises, machines
from tianmen_registry.domain.import_rows import ImportedRow, parse_row
from tianmen_registry.service_layer import handlers

CHUNK = 500
Progress = Callable[[int], None]


@dataclass
class Report:
    created: int = 0
    unchanged: int = 0
    refused: list[dict[str, object]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.unchanged + len(self.refused)


def import_rows(
    engine: Engine,
    source: str,
    rows: Iterable[Row],
    now: datetime,
    progress: Progress | None = None,
) -> Report:
    report, chunk = Report(), []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            _import_chunk(engine, source, chunk, now, report)
            chunk = []
            if progress:
                progress(report.rows)
    _import_chunk(engine, source, chunk, now, report)
    if progress:
        progress(report.rows)
    return report


def _import_chunk(
    engine: Engine, source: str, chunk: list[Row], now: datetime, report: Report
) -> None:
    with unit_of_work(engine, source) as uow:
        for number, row in chunk:
            try:
                with uow.conn.begin_nested():
                    created = _import_row(parse_row(row), uow, now)
            except DomainError as exc:
                report.refused.append({"row": number, "column": exc.field, "reason": exc.detail})
            except IntegrityError:
                report.refused.append(
                    {"row": number, "column": None, "reason": "conflicts with a registered machine"}
                )
            else:
                report.created += created
                report.unchanged += not created


def _import_row(imported: ImportedRow, uow: UnitOfWork, now: datetime) -> bool:
    """True when the row registered its machine, False when it was already registered."""
    enterprise_id = enterprises.enterprise_id_for(imported.enterprise.uscc)
    if queries.enterprise(uow.conn, enterprise_id) is None:
        handlers.register_enterprise(imported.enterprise, uow, now)
    cmd = imported.machine.__class__(
        **{**imported.machine.__dict__, "enterprise_id": enterprise_id}
    )
    existing = queries.machine(uow.conn, machines.machine_id_for(cmd.brand, cmd.serial_number))
    if existing is not None and existing["enterprise_id"] == enterprise_id:
        return False
    try:
        handlers.register_machine(cmd, uow, now)
    except Conflict as exc:
        raise DomainError(exc.detail, field=exc.field) from exc
    return True
