"""Inspections as the docket topic says (changed only by docket events coming back, so replay
rebuilds them): `safety_inspections` (all three kinds), `safety_inspected_machines` (which
machine each checked, and the finding), the enterprises the docket has seen (whose
self-inspections are due) and the deadlines they missed."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    String,
    Table,
    and_,
    select,
    update,
)
from tianmen_events import DomainEvent
from tianmen_events.safety.inspections import (
    SelfInspectionMissed,
    SelfInspectionRecorded,
    SpotCheckRecorded,
    ThirdPartyTestLapsed,
    ThirdPartyTestRecorded,
)
from tianmen_runtime.driver_sql import insert_rows

from tianmen_safety.adapters.case_rows import utc
from tianmen_safety.adapters.orm import metadata

Row = dict[str, Any]

inspections = Table(
    "safety_inspections",
    metadata,
    Column("inspection_id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),  # self, spot_check, third_party
    Column("enterprise_id", String(64), nullable=False),
    Column("inspected_at", String(40), nullable=False),  # UTC, so strings compare as times
    Column("jurisdiction", String(64)),
    Column("campaign_id", String(64)),
    Column("departments", String(200)),
    Column("findings", String(4000), nullable=False),
    Column("machine_id", String(64)),  # a third-party test's machine
    Column("agency", String(200)),
    Column("passed", Boolean),
    Column("certificate_number", String(100)),
    Column("valid_until", String(40)),
    Column("state", String(16)),  # a test: valid, superseded, expired; else null
    Column("recorded_by", String(64), nullable=False),
    Index("ix_safety_inspections_enterprise", "enterprise_id", "inspected_at"),
    Index("ix_safety_inspections_campaign", "campaign_id"),
    Index("ix_safety_inspections_valid", "state", "valid_until"),
)

inspected_machines = Table(
    "safety_inspected_machines",
    metadata,
    Column("inspection_id", String(36), primary_key=True),
    Column("machine_id", String(64), primary_key=True),
    Column("campaign_id", String(64)),
    Column("passed", Boolean),
    Index("ix_safety_inspected_machines_campaign", "campaign_id"),
)

watched = Table(
    "safety_watched_enterprises",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("first_seen", String(40), nullable=False),
)
"""Enterprises the docket has seen since `first_seen`: their self-inspections are due."""

misses = Table(
    "safety_self_inspection_misses",
    metadata,
    Column("enterprise_id", String(64), primary_key=True),
    Column("deadline", String(40), primary_key=True),
    Column("year", Integer, nullable=False),
    Column("required", Integer, nullable=False),
    Column("done", Integer, nullable=False),
)

TABLES = (inspections, inspected_machines, watched, misses)
INSPECTION_EVENTS = (
    SelfInspectionRecorded,
    SpotCheckRecorded,
    ThirdPartyTestRecorded,
    ThirdPartyTestLapsed,
    SelfInspectionMissed,
)


def load(conn: Connection, inspection_id: str) -> Any:
    return conn.execute(
        select(inspections).where(inspections.c.inspection_id == inspection_id)
    ).first()


def first_lapse(conn: Connection, lapsed: ThirdPartyTestLapsed) -> bool:
    """Whether the test is on file and not yet expired: a lapse on the docket again (the same
    test, another position) is the same fact, announced once."""
    query = select(inspections.c.state).where(inspections.c.inspection_id == lapsed.test_id)
    row = conn.execute(query).first()
    return row is not None and row.state != "expired"


def project(conn: Connection, event: DomainEvent) -> None:
    if isinstance(event, ThirdPartyTestLapsed):
        lapsed = inspections.c.inspection_id == event.test_id
        conn.execute(update(inspections).where(lapsed).values(state="expired"))
    elif isinstance(event, SelfInspectionMissed):
        _miss(conn, event)
    elif load(conn, getattr(event, "inspection_id", getattr(event, "test_id", ""))) is None:
        _insert(conn, event)


def _miss(conn: Connection, event: SelfInspectionMissed) -> None:
    key = and_(
        misses.c.enterprise_id == event.enterprise_id, misses.c.deadline == utc(event.deadline)
    )
    if conn.execute(select(misses.c.year).where(key)).first() is None:
        row: Row = {"enterprise_id": event.enterprise_id, "deadline": utc(event.deadline)}
        row |= {"year": event.year, "required": event.required, "done": event.done}
        insert_rows(conn, misses, [row])


def _insert(conn: Connection, event: DomainEvent) -> None:
    row: Row = {"enterprise_id": event.enterprise_id, "recorded_by": event.actor}  # type: ignore[attr-defined]
    row |= dict.fromkeys(("jurisdiction", "departments", "machine_id", "agency", "passed"))
    row |= dict.fromkeys(("certificate_number", "valid_until", "state"))
    row["campaign_id"] = event.campaign_id  # type: ignore[attr-defined]
    if isinstance(event, ThirdPartyTestRecorded):
        row |= _test_row(conn, event)
        checked: list[tuple[str, bool | None]] = [(event.machine_id, event.passed)]
    elif isinstance(event, SpotCheckRecorded):
        row |= {"kind": "spot_check", "inspection_id": event.inspection_id}
        row |= {"jurisdiction": event.jurisdiction, "inspected_at": utc(event.inspected_at)}
        row["departments"] = ",".join(event.departments)
        row["findings"] = json.dumps([f.model_dump(mode="json") for f in event.findings])
        checked = [(f.machine_id, f.passed) for f in event.findings]
    else:
        assert isinstance(event, SelfInspectionRecorded)
        row |= {"kind": "self", "inspection_id": event.inspection_id, "findings": event.findings}
        row["inspected_at"] = utc(event.inspected_at)
        checked = [(machine_id, None) for machine_id in dict.fromkeys(event.machine_ids)]
    insert_rows(conn, inspections, [row])
    machines = [
        {"inspection_id": row["inspection_id"], "machine_id": m, "campaign_id": row["campaign_id"]}
        | {"passed": passed}
        for m, passed in checked
    ]
    insert_rows(conn, inspected_machines, machines)


def _test_row(conn: Connection, event: ThirdPartyTestRecorded) -> Row:
    """A passed test supersedes the machine's earlier valid ones still in force when it was
    taken (only the latest can lapse). One that had run out by then stays valid until its lapse
    is on the docket: a renewal after the fact does not undo a lapse (a tick waiting for the
    docket, `on_time.caught_up`, may see the renewal come back before it makes the lapse)."""
    if event.passed:
        earlier = and_(
            inspections.c.machine_id == event.machine_id,
            inspections.c.state == "valid",
            inspections.c.inspected_at < utc(event.tested_at),
            inspections.c.valid_until > utc(event.tested_at),
        )
        conn.execute(update(inspections).where(earlier).values(state="superseded"))
    row = event.model_dump(mode="json", include={"machine_id", "agency", "passed"})
    row |= {"kind": "third_party", "inspection_id": event.test_id, "findings": ""}
    row |= {"certificate_number": event.certificate_number, "jurisdiction": event.jurisdiction}
    row |= {"inspected_at": utc(event.tested_at), "valid_until": utc(event.valid_until)}
    row["state"] = "valid" if event.passed else None
    return row
