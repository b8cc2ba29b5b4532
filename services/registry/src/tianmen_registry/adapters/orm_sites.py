"""Query tables of work sites, night-work permits, restricted zones and maintenance records."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, Integer, String, Table, Text

from tianmen_registry.adapters.orm import metadata

sites = Table(
    "sites",
    metadata,
    Column("site_id", String(36), primary_key=True),
    Column("enterprise_id", String(36), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("jurisdiction_code", String(20), nullable=False, index=True),
    Column("boundary", JSON, nullable=False),
    Column("permitted_hours", JSON, nullable=False),
)

permits = Table(
    "night_work_permits",
    metadata,
    Column("permit_id", String(36), primary_key=True),
    Column("site_id", String(36), nullable=False, index=True),
    Column("start", String(5), nullable=False),
    Column("end", String(5), nullable=False),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("valid_until", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
)

zones = Table(
    "restricted_zones",
    metadata,
    Column("zone_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("jurisdiction_code", String(20), nullable=False, index=True),
    Column("boundary", JSON, nullable=False),
)

maintenance = Table(
    "maintenance_records",
    metadata,
    Column("machine_id", String(36), primary_key=True),
    Column("sequence", Integer, primary_key=True),
    Column("performed_on", Date, nullable=False),
    Column("kind", String(50), nullable=False),
    Column("provider", String(200), nullable=False),
    Column("note", Text, nullable=False),
)
