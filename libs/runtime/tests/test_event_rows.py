"""A replay's event rows carry each event's JSON as `model_dump_json` gives it (what the live
path's `encode_text` stores): the rows are built from the serializer directly, and a replay
whose payloads differed from the live store's would not digest the same."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.codes import Severity, ViolationCode
from tianmen_events.envelope import encode_text
from tianmen_events.safety import PointsDeducted, ViolationRecorded
from tianmen_events.safety.cases import CaseConfirmed, CaseOpened, Tier
from tianmen_runtime.db import events
from tianmen_runtime.event_rows import COLUMNS, event_rows, rows_and_messages

AT = datetime(2026, 3, 1, 23, 5, 7, 250_000, tzinfo=timezone(timedelta(hours=8)))
META = EventMeta("id-1", "/tianmen/test", AT, "docket-\u6c34", 3, "corr-1", "cause-1")
EVENTS: list[DomainEvent] = [
    CaseOpened(
        docket_id="docket-\u6c34",
        case_id="case-\u5929\u95e8",
        enterprise_id="ent-1",
        violation_id='v"1\\',
        machine_id=None,
        code=ViolationCode.NIGHT_WORK_WITHOUT_PERMIT,
        severity=Severity.SERIOUS,
        jurisdiction=None,
        tier=Tier.TOWNSHIP,
        occurred_at=AT,
        due_at=datetime(2026, 3, 2, tzinfo=UTC),
        source_event_id="alert-1",
        source_event_type="tianmen.telemetry.alert_raised",
        rule_version="2026.1",
    ),
    CaseConfirmed(
        docket_id="docket-1",
        case_id="c-1",
        enterprise_id="e-1",
        actor="rule",
        at=AT,
        automatic=True,
    ),
    ViolationRecorded(
        enterprise_id="ent-1",
        violation_id="v-1",
        machine_id="m-\u00e9",
        code=ViolationCode.NIGHT_WORK_WITHOUT_PERMIT,
        description="\u591c\u95f4\u65bd\u5de5\n\t",
        occurred_at=AT,
        source_event_id="alert-1",
        source_event_type="tianmen.telemetry.alert_raised",
        points=3,
        rule_version="2026.1",
    ),
    PointsDeducted(
        enterprise_id="ent-1",
        violation_id="v-1",
        points=3,
        balance_after=-1,
        cycle_year=2026,
        rule_version="2026.1",
    ),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.type)
def test_a_replay_row_holds_the_json_the_live_row_holds(event: DomainEvent) -> None:
    (replayed,) = event_rows([(event, META)])
    (live,), _ = rows_and_messages([(event, META)])
    payload = dict(zip(COLUMNS, replayed, strict=True))["payload"]
    assert payload == event.model_dump_json() == encode_text(event, META)[0]
    assert replayed == live


def test_a_row_holds_every_column_of_the_events_table_but_its_position() -> None:
    # the rows go to SQLite's driver as they are, in this order: a column missed or moved
    # would store a value in another column
    assert tuple(c.name for c in events.columns if c.name != "position") == COLUMNS


def test_each_row_holds_its_own_times_text_however_many_share_an_instant() -> None:
    # a replay's transaction keeps one text per UTC instant: equal times (distinct objects)
    # share it, while an equal instant in another zone, or another instant, keeps its own
    utc = datetime(2026, 3, 1, 15, 5, 7, 250_000, tzinfo=UTC)
    same = datetime(2026, 3, 1, 15, 5, 7, 250_000, tzinfo=UTC)
    times = [utc, AT, same, utc + timedelta(microseconds=1), AT.replace(microsecond=0), utc]
    assert same is not utc and utc == AT
    appended = [
        (EVENTS[3], EventMeta("id", "/t", t, "ent-1", n, "c", None)) for n, t in enumerate(times)
    ]
    rows = event_rows(appended)
    at = COLUMNS.index("time")
    assert [row[at] for row in rows] == [t.isoformat() for t in times]
    assert [row[at] for row in rows] == [r[at] for r in rows_and_messages(appended)[0]]
