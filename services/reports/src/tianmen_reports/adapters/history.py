"""Every tip's events with their recorded time, read from the service's own event store."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import Connection, select
from tianmen_events.catalog import upcast
from tianmen_runtime.db import events

from tianmen_reports.domain.statistics import Timed


def all_histories(conn: Connection, until: datetime) -> dict[str, list[Timed]]:
    rows = conn.execute(
        select(
            events.c.aggregate_id, events.c.type, events.c.version, events.c.time, events.c.payload
        ).order_by(events.c.position)
    )
    histories: dict[str, list[Timed]] = defaultdict(list)
    for row in rows:
        at = datetime.fromisoformat(row.time)
        if at <= until:
            event = upcast(row.type, row.version, json.loads(row.payload))
            histories[row.aggregate_id].append((event, at))
    return dict(histories)
