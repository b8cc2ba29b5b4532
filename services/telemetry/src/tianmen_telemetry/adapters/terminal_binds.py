"""Terminal binds, kept as said and read back by event time: a terminal's periods and each
machine's current terminal are derived from the set of binds, so the order they arrived in (two
partitions of `registry.machine` when a terminal moves) changes nothing (decision 82)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, delete, insert, or_, select, update

from tianmen_telemetry.adapters.orm import machines, terminal_bindings, terminal_binds
from tianmen_telemetry.adapters.projections import record_machine
from tianmen_telemetry.domain.bindings import Bind, Holder, history, last_holder


def record_bind(conn: Connection, bind: Bind) -> None:
    """Keep the bind, then derive again the periods of every terminal it can change (its own,
    and those its machine had: the bind frees them) and their machines' current terminal."""
    machine_id = bind.holder.machine_id
    record_machine(conn, machine_id, bind.holder.enterprise_id)
    conn.execute(
        insert(terminal_binds).values(
            terminal_id=bind.terminal_id,
            event_id=bind.event_id,
            machine_id=machine_id,
            enterprise_id=bind.holder.enterprise_id,
            bound_at=bind.at,
        )
    )
    had = select(terminal_binds.c.terminal_id).where(terminal_binds.c.machine_id == machine_id)
    changed = {bind.terminal_id, *conn.execute(had).scalars()}
    _derive(conn, sorted(changed))


def _derive(conn: Connection, terminal_ids: Collection[str]) -> None:
    binds = _binds_around(conn, terminal_ids)
    conn.execute(
        update(machines).where(machines.c.terminal_id.in_(terminal_ids)).values(terminal_id=None)
    )
    for terminal_id in terminal_ids:
        periods = history(terminal_id, binds)
        conn.execute(
            delete(terminal_bindings).where(terminal_bindings.c.terminal_id == terminal_id)
        )
        conn.execute(
            insert(terminal_bindings),
            [
                {
                    "terminal_id": terminal_id,
                    "seq": seq,
                    "valid_from": period.valid_from,
                    "machine_id": period.holder and period.holder.machine_id,
                    "enterprise_id": period.holder and period.holder.enterprise_id,
                }
                for seq, period in enumerate(periods)
            ],
        )
        holder = last_holder(periods)
        if holder is not None:
            now_on = machines.c.machine_id == holder.machine_id
            conn.execute(update(machines).where(now_on).values(terminal_id=terminal_id))


def _binds_around(conn: Connection, terminal_ids: Collection[str]) -> list[Bind]:
    """The binds of the terminals, and of every machine they were on."""
    on = select(terminal_binds.c.machine_id).where(terminal_binds.c.terminal_id.in_(terminal_ids))
    rows = conn.execute(
        select(terminal_binds).where(
            or_(terminal_binds.c.terminal_id.in_(terminal_ids), terminal_binds.c.machine_id.in_(on))
        )
    ).all()
    return [
        Bind(r.terminal_id, Holder(r.machine_id, r.enterprise_id), r.bound_at, r.event_id)
        for r in rows
    ]
