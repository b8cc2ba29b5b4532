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

from replay_log import inputs
from tianmen_events import DomainEvent, EventMeta, derive_id
from tianmen_events.reports import TipVerified
from tianmen_events.safety import PointsDeducted, ViolationRecorded
from tianmen_events.telemetry import AlertRaised
from tianmen_events.topics import SAFETY_ENTERPRISE
from tianmen_runtime.testing import Record, TopicLog

SOURCE = "/tianmen/safety"


def year_records(count: int, enterprises: int, fetch: int) -> list[Record]:
    """The records of `count` inputs, in the order a replay fetching `fetch` records of each
    topic in turn reads them."""
    topics: dict[str, list[tuple[DomainEvent, EventMeta]]] = defaultdict(list)
    for n, (event, meta, _) in enumerate(inputs(count, enterprises)):
        if isinstance(event, AlertRaised | TipVerified):
            topics[SAFETY_ENTERPRISE.name] += _violation(n, event, meta)
        if not isinstance(event, AlertRaised):
            topics[event.topic].append((event, meta))
    logs = {topic: TopicLog() for topic in topics}
    records: list[Record] = []
    for start in range(0, max(len(found) for found in topics.values()), fetch):
        for topic, found in sorted(topics.items()):
            records += [logs[topic].record(e, m) for e, m in found[start : start + fetch]]
    return records


def _violation(
    n: int, cause: AlertRaised | TipVerified, meta: EventMeta
) -> list[tuple[DomainEvent, EventMeta]]:
    enterprise_id = cause.enterprise_id
    assert enterprise_id is not None
    code = "night_work_without_permit" if isinstance(cause, AlertRaised) else cause.violation_code
    violation = ViolationRecorded(
        enterprise_id=enterprise_id,
        violation_id=derive_id("bench-violation", n),
        machine_id=f"machine-of-{enterprise_id}",
        code=code,
        description=code,
        occurred_at=meta.time,
        source_event_id=meta.id,
        source_event_type=cause.type,
        points=5,
        rule_version="safety-points/2026.1",
    )
    deducted = PointsDeducted(
        enterprise_id=enterprise_id,
        violation_id=violation.violation_id,
        points=5,
        balance_after=95,
        cycle_year=meta.time.year,
        rule_version="safety-points/2026.1",
    )
    return [
        (event, EventMeta(derive_id(SOURCE, n, k), SOURCE, meta.time, enterprise_id, n, meta.id))
        for k, event in enumerate((violation, deducted))
    ]
