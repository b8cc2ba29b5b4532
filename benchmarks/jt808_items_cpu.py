"""CPU a JT/T 808 location costs the server to become a report, before and after its additional
items were read (issue 8): decode the body, convert, and (after) level the litres with the
machine's tank. In one process, no broker: "before" is the conversion main had (position, ACC
and tamper alarms only), kept here as it was; both run on the same decoded bodies, in turns.

    python benchmarks/jt808_items_cpu.py [--reports 20000] [--pairs 5]

Every location carries what the fleet's terminals send: mileage, fuel, engine hours (and, with
`--engine-number`, an engine number); each machine has a tank, so every report is levelled.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from tianmen_telemetry.domain.bindings import Binding
from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.jt808.convert import tamper_alarms, to_report
from tianmen_telemetry.jt808.items import DEFAULT_IDS, ENGINE_HOURS, ENGINE_NUMBER
from tianmen_telemetry.jt808.levels import TankHistory, levelled
from tianmen_telemetry.jt808.messages.flags import Status
from tianmen_telemetry.jt808.messages.location import FUEL, MILEAGE, Location
from tianmen_telemetry.jt808.simulator import location
from tianmen_telemetry.jt808.wire import dword, word

BATCH = 50  # reports a submit levels at once (the server batches concurrent submits)
_ACC_ON, _POSITIONED = int(Status.ACC_ON), int(Status.POSITIONED)


def before(terminal_id: str, loc: Location) -> Report | None:
    """main's `to_report` (e58c7d6): the items were dropped."""
    status = int(loc.status)
    if not status & _POSITIONED:
        return None
    return Report(
        terminal_id=terminal_id,
        reported_at=loc.time,
        latitude=loc.latitude,
        longitude=loc.longitude,
        working=bool(status & _ACC_ON),
        alarms=tamper_alarms(loc),
    )


def bodies(reports: int, engine_number: bool) -> list[tuple[str, bytes]]:
    start = datetime(2026, 5, 12, tzinfo=UTC)
    found = []
    for n in range(reports):
        items = [(MILEAGE, dword(12345)), (FUEL, word(2000 + n % 100)), (ENGINE_HOURS, dword(n))]
        if engine_number:
            items.append((ENGINE_NUMBER, b"YC6J220-30B12345678"))
        fix = location(start + timedelta(seconds=n), 30.6531, 113.1661, working=True)
        found.append((f"139{n % 1000:08d}", replace(fix, items=tuple(items)).encode()))
    return found


def old_pass(sent: Sequence[tuple[str, bytes]]) -> None:
    for terminal_id, body in sent:
        before(terminal_id, Location.decode(body))


def new_pass(sent: Sequence[tuple[str, bytes]]) -> None:
    known = {f"139{n:08d}": Binding(f"m-{n}", "e-1") for n in range(1000)}
    tanks: dict[str, TankHistory] = {f"m-{n}": ((None, 400.0),) for n in range(1000)}

    def held(machine_ids: object) -> dict[str, TankHistory]:
        return tanks

    batch: list[Report] = []
    for terminal_id, body in sent:
        report = to_report(terminal_id, Location.decode(body), DEFAULT_IDS)
        assert report is not None
        batch.append(report)
        if len(batch) == BATCH:
            levelled(batch, known, held)
            batch = []


def cpu_us(
    run: Callable[[Sequence[tuple[str, bytes]]], None], sent: Sequence[tuple[str, bytes]]
) -> float:
    began = time.process_time()
    run(sent)
    return (time.process_time() - began) / len(sent) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--engine-number", action="store_true")
    args = parser.parse_args()
    sent = bodies(args.reports, args.engine_number)
    old_pass(sent[:1000])  # warm
    new_pass(sent[:1000])
    olds, news = [], []
    for _ in range(args.pairs):
        olds.append(cpu_us(old_pass, sent))
        news.append(cpu_us(new_pass, sent))
    for name, xs in (("before", olds), ("after", news)):
        print(f"{name:6}: CPU us a report min {min(xs):.2f} median {statistics.median(xs):.2f}")
    diffs = [n - o for o, n in zip(olds, news, strict=True)]
    print(f"paired differences (after - before) us: {', '.join(f'{d:.2f}' for d in diffs)}")
    print(f"ratio of medians after/before: {statistics.median(news) / statistics.median(olds):.3f}")


if __name__ == "__main__":
    main()
