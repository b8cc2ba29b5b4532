"""The registry's records applied a transaction at a time (`adapters/terminal_binds`: the binds
around them read ahead, the periods derived in memory, the rows written once before the commit)
derive exactly what they derive one record per transaction: a terminal bound, moved and freed
within one transaction, or across several, whatever the order of the binds' times (decision 90).
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from tianmen_events import DomainEvent
from tianmen_events.registry import (
    AnnualReviewOverdue,
    MachineDeregistered,
    MachineDetailsChanged,
    MachineTransferred,
    TerminalBound,
    TerminalUnbound,
)
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_telemetry.adapters.orm import (
    alerts,
    machine_identities,
    machine_transfers,
    machines,
    terminal_bindings,
    terminal_binds,
)

from ..helpers import applied, at, meta_for, registered, reported

START = at("2026-05-11T08:00:00")
NIGHT = at("2026-05-11T23:00:00")
MACHINES = ("machine-1", "machine-2", "machine-3")
TERMINALS = ("13800000001", "13800000002", "13800000003", "13800000004")
OWNERS = ("enterprise-1", "enterprise-2")

# One record: a bind (terminal, machine, owner, minutes after START: binds come in any order of
# their times), a machine registered (owner, high risk), its jurisdiction changed, or its review
# overdue (read against what the transaction said of it: high risk or not), or a working report
# at night (its alert carries the jurisdiction said before it, in the transaction or not, and
# names the owner at its time), or a machine sold (minutes after NIGHT: sales come in any order
# of their times too, and a report is charged to the owner at its time), or an explicit unbind
# (terminal, machine, minutes after START: in any order of times with the binds), or a machine
# deregistered (minutes after START), after an unbind of the same instant saying so or, an
# event from before the registry said why, not saying (decision 92).
step = st.one_of(
    st.tuples(
        st.just("bind"),
        st.sampled_from(TERMINALS),
        st.sampled_from(MACHINES),
        st.sampled_from(OWNERS),
        st.integers(0, 120),
    ),
    st.tuples(
        st.just("register"), st.sampled_from(MACHINES), st.sampled_from(OWNERS), st.booleans()
    ),
    st.tuples(
        st.just("details"), st.sampled_from(MACHINES), st.sampled_from(["4290061", "4290062"])
    ),
    st.tuples(st.just("overdue"), st.sampled_from(MACHINES)),
    st.tuples(st.just("report"), st.sampled_from(MACHINES), st.integers(0, 120)),
    st.tuples(
        st.just("transfer"),
        st.sampled_from(MACHINES),
        st.sampled_from(OWNERS),
        st.sampled_from(OWNERS),
        st.integers(0, 120),
    ),
    st.tuples(
        st.just("unbind"),
        st.sampled_from(TERMINALS),
        st.sampled_from(MACHINES),
        st.sampled_from(["unbound", None]),
        st.integers(0, 120),
    ),
    st.tuples(
        st.just("deregister"),
        st.sampled_from(TERMINALS),
        st.sampled_from(MACHINES),
        st.sampled_from(["deregistered", None]),
        st.integers(0, 120),
    ),
)


def _unbound(terminal: str, machine: str, reason: Any) -> TerminalUnbound:
    return TerminalUnbound(
        machine_id=machine, enterprise_id=OWNERS[0], terminal_id=terminal, reason=reason
    )


def _said(kind: str, machine: str, *rest: Any) -> DomainEvent:
    if kind == "unbind":
        terminal, machine, reason, _ = machine, *rest
        return _unbound(terminal, machine, reason)
    if kind == "bind":
        terminal, machine, owner, _ = machine, *rest
        return TerminalBound(machine_id=machine, enterprise_id=owner, terminal_id=terminal)
    if kind == "register":
        owner, high_risk = rest
        return registered(machine, enterprise_id=owner, high_risk=high_risk)
    if kind == "report":
        return reported(NIGHT + timedelta(minutes=rest[0]), machine_id=machine)
    if kind == "transfer":
        seller, buyer, _ = rest
        return MachineTransferred(
            machine_id=machine, enterprise_id=buyer, from_enterprise_id=seller, application_id="a"
        )
    if kind == "details":
        return MachineDetailsChanged(
            machine_id=machine,
            enterprise_id=OWNERS[0],
            application_id="a",
            jurisdiction_code=rest[0],
        )
    return AnnualReviewOverdue(machine_id=machine, enterprise_id=OWNERS[0], due_on=date(2026, 5, 1))


def _records(plan: list[tuple[Any, ...]]) -> list[Record]:
    log = TopicLog()
    records = []
    for n, (kind, *rest) in enumerate(plan):
        minutes = rest[-1] if kind in ("bind", "unbind", "deregister") else n
        if kind in ("report", "transfer"):
            minutes = rest[-1] + int((NIGHT - START).total_seconds()) // 60
        when = START + timedelta(minutes=minutes)
        if kind == "deregister":  # the unbind, then the deregistration, of one instant
            terminal, machine, reason, _ = rest
            unbind = _unbound(terminal, machine, reason)
            gone = MachineDeregistered(
                machine_id=machine, enterprise_id=OWNERS[0], application_id="a"
            )
            records.append(log.record(unbind, meta_for(unbind, f"event-{n}-u", when)))
            records.append(log.record(gone, meta_for(gone, f"event-{n}", when)))
            continue
        said = _said(kind, *rest)
        records.append(log.record(said, meta_for(said, f"event-{n}", when)))
    return records


TABLES = (machines, terminal_bindings, terminal_binds)


def _rows(service: Service) -> list[list[tuple[Any, ...]]]:
    with service.engine.connect() as conn:
        return [
            [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]
            for table in (*TABLES, machine_identities, machine_transfers, alerts)
        ]


MOVED_AND_FREED = [
    ("register", "machine-1", "enterprise-1", False),
    ("register", "machine-2", "enterprise-1", True),
    ("bind", "13800000001", "machine-1", "enterprise-1", 10),
    ("bind", "13800000001", "machine-2", "enterprise-1", 30),  # moved
    ("bind", "13800000002", "machine-2", "enterprise-2", 20),  # said later, freed earlier
    ("bind", "13800000003", "machine-2", "enterprise-2", 50),  # frees the first
    ("overdue", "machine-2"),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(step, min_size=1, max_size=25), st.lists(st.integers(1, 25), min_size=1, max_size=4)
)
@example(MOVED_AND_FREED, [len(MOVED_AND_FREED)])
@example(  # bound to a machine not registered yet, then registered by another owner
    [
        ("bind", "13800000001", "machine-1", "enterprise-1", 10),
        ("register", "machine-1", "enterprise-2", True),
        ("details", "machine-1", "4290062"),
        ("overdue", "machine-1"),
        ("bind", "13800000002", "machine-1", "enterprise-2", 5),
    ],
    [5],
)
@example(  # the report reads the jurisdiction changed before it in its transaction
    [
        ("register", "machine-1", "enterprise-1", False),
        ("details", "machine-1", "4290062"),
        ("report", "machine-1", 0),
    ],
    [3],
)
@example(  # sold twice, said out of order of their times, around reports in one transaction
    [
        ("register", "machine-1", "enterprise-1", False),
        ("bind", "13800000001", "machine-1", "enterprise-1", 10),
        ("transfer", "machine-1", "enterprise-2", "enterprise-1", 90),
        ("report", "machine-1", 30),
        ("transfer", "machine-1", "enterprise-1", "enterprise-2", 20),
        ("report", "machine-1", 60),
        ("report", "machine-1", 100),
    ],
    [7],
)
@example(  # bound, unbound after a move said first, an old unbind of a deregistration, reports
    [
        ("register", "machine-1", "enterprise-1", False),
        ("register", "machine-2", "enterprise-1", False),
        ("bind", "13800000001", "machine-1", "enterprise-1", 10),
        ("unbind", "13800000001", "machine-2", "unbound", 60),
        ("bind", "13800000001", "machine-2", "enterprise-1", 30),
        ("unbind", "13800000001", "machine-1", "unbound", 20),
        ("bind", "13800000002", "machine-1", "enterprise-1", 40),
        ("deregister", "13800000002", "machine-1", None, 70),
        ("report", "machine-1", 30),
        ("deregister", "13800000003", "machine-3", "deregistered", 5),
    ],
    [3, 1, 4],
)
def test_any_split_into_transactions_derives_what_one_record_per_transaction_does(
    plan: list[tuple[Any, ...]], sizes: list[int]
) -> None:
    records = _records(plan)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        each = applied(records, 1, Path(one))
        batched = applied(records, sizes, Path(many))
        assert _rows(batched) == _rows(each)
        assert batched.digest() == each.digest()
    if any(kind == "deregister" and None in rest for kind, *rest in plan):
        # An old unbind at its machine's deregistration instant is the deregistration's: what
        # the registry saying so derives.
        said = [
            ("deregister", *rest[:2], "deregistered", rest[3]) if kind == "deregister" else step
            for step in plan
            for kind, *rest in [step]
        ]
        with tempfile.TemporaryDirectory() as told:
            registry_said = applied(_records(said), sizes, Path(told))
            assert _rows(registry_said) == _rows(batched)
            assert registry_said.digest() == batched.digest()


def _statements(binds: int, folder: Path) -> list[str]:
    """Statements on the bind tables a transaction of `binds` binds runs (each terminal to a
    machine registered and bound before, in another transaction: the machine's terminal is
    freed); the consumer's own (offsets, deliveries) are the runtime's."""
    plan: list[tuple[Any, ...]] = []
    for n in range(binds):
        machine, terminal = f"machine-{n}", f"1380000{n:04d}"
        plan += [
            ("register", machine, "enterprise-1", False),
            ("bind", terminal, machine, "enterprise-1", 0),
        ]
    plan += [
        ("bind", f"1390000{n:04d}", f"machine-{(n + 1) % binds}", "enterprise-1", 60)
        for n in range(binds)
    ]
    records = _records(plan)
    service = applied(records[: 2 * binds], 2 * binds, folder)
    assert service.subscription is not None
    seen: list[str] = []
    counting = service.engine

    def count(*args: Any) -> None:
        if any(f" {table.name} " in f"{args[2]} " for table in TABLES):
            seen.append(args[2])

    event.listen(counting, "before_cursor_execute", count)
    try:
        assert set(apply_batch(counting, service.subscription, records[2 * binds :])) == {"applied"}
    finally:
        event.remove(counting, "before_cursor_execute", count)
    return seen


def test_a_transaction_of_binds_runs_as_many_statements_for_ten_as_for_a_hundred(
    tmp_path: Path,
) -> None:
    ten, hundred = _statements(10, tmp_path / "10"), _statements(100, tmp_path / "100")
    assert len(hundred) == len(ten), f"{len(ten)} statements for 10 binds, {len(hundred)} for 100"
    assert len(ten) <= 10, ten
