"""The registry's projection tables, written in the same transaction as the events."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table

metadata = MetaData()

enterprises = Table(
    "enterprises",
    metadata,
    Column("enterprise_id", String(36), primary_key=True),
    Column("uscc", String(18), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("division_code", String(6), nullable=False),
    Column("address", String(500), nullable=False),
)

machines = Table(
    "machines",
    metadata,
    Column("machine_id", String(36), primary_key=True),
    Column("enterprise_id", String(36), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("brand", String(100), nullable=False),
    Column("model", String(100), nullable=False),
    Column("serial_number", String(100), nullable=False),
    Column("terminal_id", String(20)),
)

# Which machine each terminal is bound to: the lookup behind "one terminal, one machine".
terminals = Table(
    "terminals",
    metadata,
    Column("terminal_id", String(20), primary_key=True),
    Column("machine_id", String(36), nullable=False, unique=True),
)
