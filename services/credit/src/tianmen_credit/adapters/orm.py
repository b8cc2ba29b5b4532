"""Projection tables of the credit service, all rebuilt by replay.

Every column is derived from events (ids derived from causes, event times as ISO strings,
reasons as canonical JSON), so a replayed store holds exactly the same rows as the live one.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text
from tianmen_runtime.digest import DigestTable

metadata = MetaData()

scores = Table(
    "credit_scores",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("score", Integer, nullable=False),
    Column("grade", String(8), nullable=False),
    Column("procurement_restricted", Boolean, nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("updated_at", String(40), nullable=False),
    Column("fact_count", Integer, nullable=False, server_default="0"),
    Column("next_expiry", String(32)),  # UTC, `clock.utc_key`: when time alone moves the row
    Index("ix_credit_scores_next_expiry", "next_expiry"),
)

clock = Table(
    "credit_clock",
    metadata,
    Column("name", String(90), primary_key=True),  # `events`, or `lead:` and a subject
    Column("at", String(32), nullable=False),  # UTC, `clock.utc_key`
)

history = Table(
    "credit_history",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("time", String(40), nullable=False),
    Column("score_before", Integer, nullable=False),
    Column("score", Integer, nullable=False),
    Column("grade_before", String(8), nullable=False),
    Column("grade", String(8), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("reasons", Text, nullable=False),
    Index("ix_credit_history_enterprise_sequence", "enterprise_id", "sequence"),
)

facts = Table(
    "credit_facts",
    metadata,
    Column("event_id", String(80), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("at", String(40), nullable=False),
    Column("code", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("points", Integer, nullable=False),
    Column("target", String(80), nullable=False),
    Index("ix_credit_facts_enterprise_at", "enterprise_id", "at"),
)
"""What the model as data (credit/2026.2) counts, by event time: the live ledger's facts; and
the event time credit has seen (the latest among them, `adapters/clock.py`): both a function
of the set of consumed events, whatever their interleaving."""

LIVE_ROWS = DigestTable(scores)
"""In the digest where a service's event log usually is. Credit's own events (score changes,
restriction imposed/lifted; `credit_history` mirrors them) say what changed as facts arrived:
an enterprise's facts come on four topics, so a replay may see them in another interleaving and
tell the same end in other steps. What a replay must rebuild, whatever the interleaving, is
each enterprise's row (the standing at its watermark, decision 64) and its facts."""

DIGEST_TABLES: tuple[DigestTable, ...] = (DigestTable(facts), DigestTable(clock))
