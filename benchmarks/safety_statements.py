"""Safety's replay of bench-fold's log with every statement timed: CPU a record and a row by
the statement's first words (which table it inserts into, or which Core statement it is), and
how many it ran. What one replayed alert writes and reads (benchmarks/README.md, bench-fold,
round 19).

    .venv/bin/python benchmarks/safety_statements.py [--alerts 31500] [--bootstrap HOST:PORT]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from typing import Any

from sqlalchemy.engine import Connection

SPENT: dict[str, float] = {}
CALLS: Counter[str] = Counter()
ROWS: Counter[str] = Counter()


def _timed(name: str, run: Any, key: Any) -> Any:
    def timed(self: Connection, statement: Any, *args: Any, **kwargs: Any) -> Any:
        what, rows = key(statement, args)
        cpu = time.process_time()
        try:
            return run(self, statement, *args, **kwargs)
        finally:
            SPENT[what] = SPENT.get(what, 0.0) + time.process_time() - cpu
            CALLS[what] += 1
            ROWS[what] += rows

    timed.__name__ = name
    return timed


def _driver(statement: Any, args: tuple[Any, ...]) -> tuple[str, int]:
    params = args[0] if args else None
    return " ".join(str(statement).split()[:3]), len(params) if isinstance(params, list) else 1


def _core(statement: Any, _: tuple[Any, ...]) -> tuple[str, int]:
    table = getattr(statement, "table", None)
    if table is None and hasattr(statement, "get_final_froms"):
        froms = statement.get_final_froms()
        table = froms[0] if froms else ""
    return f"Core {type(statement).__name__} {table}", 0


def one_replay(bootstrap: str) -> None:
    from tianmen_runtime.db import make_engine
    from tianmen_runtime.replay import replay
    from tianmen_safety.bootstrap import build

    service = build()
    assert service.subscription is not None
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/safety.db", service.metadata)
        Connection.exec_driver_sql = _timed(  # type: ignore[method-assign]
            "exec_driver_sql", Connection.exec_driver_sql, _driver
        )
        Connection._execute_clauseelement = _timed(  # type: ignore[method-assign]
            "_execute_clauseelement", Connection._execute_clauseelement, _core
        )
        cpu = time.process_time()
        records = sum(replay(engine, service.subscription, bootstrap).outcomes.values())
        spent = time.process_time() - cpu
    print(f"{records:,} records, replay CPU {spent / records * 1e6:.1f} us a record")
    for what, seconds in sorted(SPENT.items(), key=lambda item: -item[1]):
        per_row = f" ({seconds / ROWS[what] * 1e6:.2f} us a row)" if ROWS[what] else ""
        print(
            f"{seconds / records * 1e6:6.2f} us a record  {CALLS[what]:5} statements "
            f"{ROWS[what]:7} rows{per_row}  {what}"
        )


def main() -> None:
    from safety_replay_cpu import publish
    from tianmen_devkit.broker import choose_broker

    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=31_500)
    parser.add_argument("--bootstrap", help="a broker the log is already on (else one started)")
    args = parser.parse_args()
    with nullcontext(args.bootstrap) if args.bootstrap else choose_broker() as bootstrap:
        if not args.bootstrap:
            publish(bootstrap, args.alerts)
        one_replay(bootstrap)


if __name__ == "__main__":
    main()
