"""The registry's projection tables, written in the same transaction as the events."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Float, Integer, MetaData, String, Table

metadata = MetaData()

enterprises = Table(
    "enterprises",
    metadata,
    Column("enterprise_id", String(36), primary_key=True),
    Column("uscc", String(18), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("division_code", String(6), nullable=False),
    Column("address", String(500), nullable=False),
    Column("jurisdiction_code", String(20), nullable=False, index=True),
)

# Personal data: served only to staff, never put on a topic other services read.
enterprise_contacts = Table(
    "enterprise_contacts",
    metadata,
    Column("enterprise_id", String(36), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("role", String(32), nullable=False),
    Column("name", String(50), nullable=False),
    Column("phone", String(20), nullable=False),
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
    Column("jurisdiction_code", String(20), nullable=False, index=True),
    Column("high_risk", Boolean, nullable=False),
    Column("brand_key", String(100), nullable=False),
    Column("engine_number", String(100), nullable=False),
    Column("manufacture_date", Date),
    Column("rated_power_kw", Float),
    Column("emission_stage", String(8)),
    Column("power_type", String(16)),
    Column("environmental_code", String(100), nullable=False),
    Column("crane_filing_number", String(100), nullable=False),
    Column("fuel_tank_litres", Float),
    Column("status", String(16), nullable=False, default="pending", index=True),
    Column("registration_number", String(32), unique=True),
    Column("next_review_due", Date),
    Column("pledged", Boolean, nullable=False, default=False),
)

# "One machine, one identity": each normalised key (brand + serial, engine number, NRMM
# environmental code) belongs to one machine; the primary key refuses a second holder.
machine_identities = Table(
    "machine_identities",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("machine_id", String(36), nullable=False, index=True),
)

# Which machine each terminal is bound to: the lookup behind "one terminal, one machine".
terminals = Table(
    "terminals",
    metadata,
    Column("terminal_id", String(20), primary_key=True),
    Column("machine_id", String(36), nullable=False, unique=True),
)
