"""Projection tables of the safety service, all rebuilt by replay and, but for
`safety_case_openings` (an index of what this store appended), all part of the digest.

Every column is derived from events (ids derived from causes, event times as ISO strings), so
a replayed store holds exactly the same rows as the live one.
"""

from __future__ import annotations

from sqlalchemy import DDL, Boolean, Column, Index, Integer, MetaData, String, Table, event, false
from tianmen_runtime.db import events
from tianmen_runtime.digest import DigestTable

metadata = MetaData()

ledgers = Table(
    "safety_ledgers",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("cycle_year", Integer, primary_key=True),
    Column("initial_points", Integer, nullable=False),
    Column("balance", Integer, nullable=False),
    Column("bidding_suspended", Boolean, nullable=False),
    Column("key_supervision", Boolean, nullable=False),
    Column("rule_version", String(64), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

violations = Table(
    "safety_violations",
    metadata,
    Column("violation_id", String(36), primary_key=True),
    Column("event_id", String(36), nullable=False),
    Column("enterprise_id", String(64), nullable=False),
    Column("cycle_year", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("machine_id", String(64)),
    Column("code", String(64), nullable=False),
    Column("description", String(500), nullable=False),
    Column("occurred_at", String(40), nullable=False),
    Column("points", Integer, nullable=False),
    Column("source_event_id", String(64), nullable=False),
    Column("source_event_type", String(128), nullable=False),
    Column("rule_version", String(64), nullable=False),
    Column("revoked", Boolean, nullable=False, server_default=false()),
    Index("ix_safety_violations_enterprise_year", "enterprise_id", "cycle_year"),
)

deductions = Table(
    "safety_deductions",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("cycle_year", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("violation_id", String(36), nullable=False),
    Column("points", Integer, nullable=False),
    Column("balance_after", Integer, nullable=False),
    Column("time", String(40), nullable=False),
    Column("rule_version", String(64), nullable=False),
    Index("ix_safety_deductions_enterprise_year", "enterprise_id", "cycle_year"),
)


cases = Table(
    "safety_cases",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("violation_id", String(36), nullable=False),
    Column("machine_id", String(64)),
    Column("code", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("jurisdiction", String(64)),
    Column("tier", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("occurred_at", String(40), nullable=False),
    Column("opened_at", String(40), nullable=False),
    Column("due_at", String(40)),  # UTC, so strings compare as times
    Column("escalations", Integer, nullable=False),
    Column("acknowledged_by", String(64)),
    Column("decided_by", String(64)),
    Column("decided_at", String(40)),
    Column("reason", String(500)),
    Column("source_event_id", String(64), nullable=False),
    Column("source_event_type", String(128), nullable=False),
    Column("rule_version", String(64), nullable=False),
    Index("ix_safety_cases_state_due", "state", "due_at"),
    Index("ix_safety_cases_enterprise", "enterprise_id", "opened_at"),
    Index("ix_safety_cases_jurisdiction_state", "jurisdiction", "state"),
)

dockets = Table(
    "safety_dockets",
    metadata,
    Column("docket_id", String(80), primary_key=True),
    Column("projected_through", Integer, nullable=False),
)
"""How far each enterprise's docket is applied to `safety_cases`: later events are in flight."""

case_openings = Table(
    "safety_case_openings",
    metadata,
    Column("case_id", String(36), primary_key=True),
)
"""Every case whose opening this store appended to a docket (`adapters/filing.py`): whether an
alert's case is filed is an index look-up here or in `safety_cases`, not a scan of the docket's
tail still in flight. Not in the digest: a replay that projects an opening from `safety.case`
before reading the alert that opened it appends none, so this table may differ from live's
where the case rows do not."""

restorations = Table(
    "safety_restorations",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("cycle_year", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("violation_id", String(36), nullable=False),
    Column("points", Integer, nullable=False),
    Column("balance_after", Integer, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("time", String(40), nullable=False),
    Column("rule_version", String(64), nullable=False),
    Index("ix_safety_restorations_enterprise_year", "enterprise_id", "cycle_year"),
)

listings = Table(
    "safety_listings",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("enterprise_id", String(64), nullable=False),
    Column("cycle_year", Integer, nullable=False),
    Column("list", String(32), nullable=False),  # bidding_suspension | key_supervision
    Column("balance", Integer, nullable=False),
    Column("listed_at", String(40), nullable=False),  # times in UTC: compared as strings
    Column("ends_at", String(40), nullable=False),  # the cycle's end
    Column("lifted_at", String(40)),
    Column("rule_version", String(64), nullable=False),
    Index("ix_safety_listings_list_listed", "list", "listed_at"),
)
"""Who was on which list when: a listing holds from its event until lifted or its cycle ends."""


def _index(table: Table, name: str) -> Index:
    return next(index for index in table.indexes if index.name == name)


API_ONLY_INDEXES = (
    _index(cases, "ix_safety_cases_enterprise"),
    _index(cases, "ix_safety_cases_jurisdiction_state"),
    _index(deductions, "ix_safety_deductions_enterprise_year"),
)
"""Indexes only the API's queries read, no handler's: a replay into a fresh store builds them
after its load (`Subscription.built_after_replay`). Not violations' `enterprise_year`: the
delisting reads it (`listings.last_violation_at`)."""

DIGEST_TABLES: tuple[DigestTable, ...] = (
    DigestTable(ledgers),
    DigestTable(violations),
    DigestTable(deductions),
    DigestTable(cases),
    DigestTable(dockets),
    DigestTable(restorations),
    DigestTable(listings),
)

LEDGER_LOG_VIEW = "VIEW safety_ledger_log AS SELECT * FROM events WHERE topic <> 'safety.case'"
ledger_log = Table(
    "safety_ledger_log", MetaData(), *(Column(c.name, c.type) for c in events.columns)
)
"""The event log without the docket (a view): the docket holds staff decisions, which only its
topic replays, so the digest checks the docket by the case rows it built, the ledger by its
events."""
LEDGER_LOG = DigestTable(ledger_log, frozenset({"position"}))
event.listen(
    metadata,
    "after_create",
    DDL(f"CREATE VIEW IF NOT EXISTS {LEDGER_LOG_VIEW.removeprefix('VIEW ')}").execute_if(  # type: ignore[no-untyped-call]
        dialect="sqlite"
    ),
)
event.listen(
    metadata,
    "after_create",
    DDL(f"CREATE OR REPLACE {LEDGER_LOG_VIEW}").execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]
)
