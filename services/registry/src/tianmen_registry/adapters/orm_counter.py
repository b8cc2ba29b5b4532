"""Query tables of the online counter: applications, attachments, mortgages, terminal history."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from tianmen_registry.adapters.orm import metadata

applications = Table(
    "applications",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("enterprise_id", String(36), nullable=False, index=True),
    Column("machine_id", String(36), nullable=False, index=True),
    Column("jurisdiction_code", String(20), nullable=False, index=True),
    Column("stage", String(16), nullable=False, index=True),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("accepted_at", DateTime(timezone=True)),
    Column("due_at", DateTime(timezone=True), index=True),
    Column("due_provisional", Boolean, nullable=False, default=False),
    Column("decided_at", DateTime(timezone=True)),
    Column("overdue", Boolean, nullable=False, default=False),
    Column("reason", Text),
    Column("handling_hours", Float),
    Column("handling_working_days", Integer),
)

# Uploaded documents, content-addressed: the same file uploaded twice is stored once.
attachments = Table(
    "attachments",
    metadata,
    Column("attachment_id", String(36), primary_key=True),
    Column("media_type", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

mortgages = Table(
    "mortgages",
    metadata,
    Column("mortgage_id", String(36), primary_key=True),
    Column("machine_id", String(36), nullable=False, index=True),
    Column("enterprise_id", String(36), nullable=False),
    Column("lender", String(200), nullable=False, index=True),
    Column("amount_yuan", Integer, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("released", Boolean, nullable=False, default=False),
)

terminal_history = Table(
    "terminal_history",
    metadata,
    Column("machine_id", String(36), primary_key=True),
    Column("sequence", Integer, primary_key=True),
    Column("terminal_id", String(20), nullable=False),
    Column("action", String(8), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
