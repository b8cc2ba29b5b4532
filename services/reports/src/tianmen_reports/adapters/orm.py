"""Tables of the reports service (the runtime adds the event store and outbox).

A reporter's identity and contact live only in `reporter_identities`, encrypted (AES-GCM) with a
key of that reporter's own in `reporter_keys`: deleting the key crypto-shreds the person while the
tip's history stays whole. Events, logs and metrics carry only the reporter's pseudonym.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, LargeBinary, MetaData, String, Table

metadata = MetaData()

reporter_keys = Table(
    "reporter_keys",
    metadata,
    Column("reporter", String(64), primary_key=True),  # the pseudonym, never the reporter id
    Column("key", LargeBinary(32), nullable=False),
    Column("created_at", String(40), nullable=False),
)

reporter_identities = Table(
    "reporter_identities",
    metadata,
    Column("tip_id", String(36), primary_key=True),
    Column("reporter", String(64), nullable=False, index=True),
    Column("nonce", LargeBinary(12), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("recorded_at", String(40), nullable=False),
)

# Where each tip stands, kept with its events in one transaction: candidates for duplicates.
tip_index = Table(
    "tip_index",
    metadata,
    Column("tip_id", String(36), primary_key=True),
    Column("category", String(40), nullable=False),
    Column("submitted_at", String(40), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("reporter", String(64), index=True),
)

# Telemetry's track points (from `telemetry.report`): evidence of which machines were near a tip.
track_points = Table(
    "track_points",
    metadata,
    Column("report_id", String(64), primary_key=True),
    Column("machine_id", String(64), nullable=False),
    Column("enterprise_id", String(64), nullable=False),
    Column("reported_at", String(40), nullable=False, index=True),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("working", Boolean, nullable=False),
)
