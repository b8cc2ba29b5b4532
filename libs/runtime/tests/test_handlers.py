"""The typed handler table: exact-type dispatch, registration order, and mypy's check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mypy import api as mypy_api
from tianmen_events import EventMeta
from tianmen_events.safety import BiddingSuspended, PointsDeducted
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

SEEN: list[str] = []
NO_UOW: Any = None
META = EventMeta(
    id="e1",
    source="/tianmen/test",
    time=datetime(2026, 1, 2, tzinfo=UTC),
    subject="ent-1",
    sequence=1,
    correlation_id="c1",
)


def _first(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
    SEEN.append(f"first {event.violation_id}")


def _second(event: PointsDeducted, meta: EventMeta, uow: UnitOfWork) -> None:
    SEEN.append(f"second {event.points}")


def _deducted() -> PointsDeducted:
    return PointsDeducted(
        enterprise_id="ent-1",
        violation_id="v1",
        points=5,
        balance_after=95,
        cycle_year=2026,
        rule_version="r1",
    )


def test_handlers_of_a_type_run_in_registration_order_and_others_not_at_all() -> None:
    SEEN.clear()
    handlers = EventHandlers().on(PointsDeducted, _first).on(PointsDeducted, _second)
    handlers.handle(_deducted(), META, NO_UOW)
    suspended = BiddingSuspended(
        enterprise_id="ent-1", cycle_year=2026, balance=55, threshold=60, rule_version="r1"
    )
    handlers.handle(suspended, META, NO_UOW)
    assert SEEN == ["first v1", "second 5"]
    assert list(handlers) == [PointsDeducted]


def test_on_returns_a_new_table_and_leaves_the_old_one_as_it_was() -> None:
    base = EventHandlers().on(PointsDeducted, _first)
    extended = base.on(PointsDeducted, _second)
    assert len(base[PointsDeducted]) == 1 and len(extended[PointsDeducted]) == 2


def test_mypy_refuses_a_handler_registered_for_another_event_type(tmp_path: Path) -> None:
    source = tmp_path / "wrong_handler.py"
    source.write_text(
        "from tianmen_events import EventMeta\n"
        "from tianmen_events.safety import BiddingSuspended, PointsDeducted\n"
        "from tianmen_runtime.handlers import EventHandlers\n"
        "from tianmen_runtime.unit_of_work import UnitOfWork\n"
        "def on_deducted(e: PointsDeducted, m: EventMeta, u: UnitOfWork) -> None: ...\n"
        "EventHandlers().on(PointsDeducted, on_deducted)\n"
        "EventHandlers().on(BiddingSuspended, on_deducted)\n"
    )
    out, _, status = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(source)]
    )
    assert status == 1
    assert 'Argument 2 to "on" of "EventHandlers" has incompatible type' in out
    assert f"{source}:7:" in out and f"{source}:6:" not in out
