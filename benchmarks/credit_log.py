"""Credit's topics for a year as a replay reads them (used by `credit_apply_cpu.py --fetch`).

bench-replay's inputs (`replay_log.inputs`): per night-work alert and per verified tip, the
violation safety records (`ViolationRecorded`, counted, and its `PointsDeducted`, ignored) on
`safety.enterprise`; the tips on `reports.tip` and the maintenance records on
`registry.machine`, each on its own topic. A replay's consumer fetches every topic's partitions
alike, `fetch` records of each at a time, so the two small topics (1 input in 20 each) run
ahead of safety's in event time: most of an enterprise's violations come after a later tip or
maintenance record of it was counted, out of event-time order (the year's rebuild; the
bench's credit replay spent ~2x bench-fold's CPU a record there).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from replay_log import inputs
from tianmen_events import DomainEvent, EventMeta, derive_id
from tianmen_events.reports import TipVerified
from tianmen_events.safety import PointsDeducted, ViolationRecorded
from tianmen_events.telemetry import AlertRaised
from tianmen_events.topics import SAFETY_ENTERPRISE
from tianmen_runtime.testing import Record, TopicLog

SOURCE = "/tianmen/safety"
NIGHT_WORK = "night_work_without_permit"


def year_records(count: int, enterprises: int, fetch: int) -> list[Record]:
    """The records of `count` inputs, in the order a replay fetching `fetch` records of each
    topic in turn reads them."""
    topics: dict[str, list[tuple[DomainEvent, EventMeta]]] = defaultdict(list)
    for n, (event, meta, _) in enumerate(inputs(count, enterprises)):
        if isinstance(event, AlertRaised | TipVerified):
            code = event.violation_code if isinstance(event, TipVerified) else NIGHT_WORK
            assert event.enterprise_id is not None and code is not None
            topics[SAFETY_ENTERPRISE.name] += violation(
                n, event.enterprise_id, meta.time, code, 5, meta
            )
        if not isinstance(event, AlertRaised):
            topics[event.topic].append((event, meta))
    logs = {topic: TopicLog() for topic in topics}
    records: list[Record] = []
    for start in range(0, max(len(found) for found in topics.values()), fetch):
        for topic, found in sorted(topics.items()):
            records += [logs[topic].record(e, m) for e, m in found[start : start + fetch]]
    return records


def violation(
    n: int, enterprise_id: str, at: datetime, code: str, points: int, cause: EventMeta | None = None
) -> list[tuple[DomainEvent, EventMeta]]:
    """The n-th violation safety records, as it publishes it: `ViolationRecorded` (credit
    counts it) and its `PointsDeducted` (credit ignores it), caused by `cause` (an alert)."""
    cause_id = derive_id("bench-alert", n) if cause is None else cause.id
    found = ViolationRecorded(
        enterprise_id=enterprise_id,
        violation_id=derive_id("bench-violation", n),
        machine_id=f"machine-of-{enterprise_id}",
        code=code,
        description=code,
        occurred_at=at,
        source_event_id=cause_id,
        source_event_type="tianmen.telemetry.alert_raised",
        points=points,
        rule_version="safety-points/2026.1",
    )
    deducted = PointsDeducted(
        enterprise_id=enterprise_id,
        violation_id=found.violation_id,
        points=points,
        balance_after=100 - points,
        cycle_year=at.year,
        rule_version="safety-points/2026.1",
    )
    return [
        (event, EventMeta(derive_id(SOURCE, n, k), SOURCE, at, enterprise_id, 2 * n + k + 1, "c"))
        for k, event in enumerate((found, deducted))
    ]
