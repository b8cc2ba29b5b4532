"""Registry bulk import: 8,000 machines from an XLSX file through the real service's HTTP API.

Baseline (same run, same events): appending the events the import recorded straight to a fresh
event table, 500 per transaction, with no decision, no identity checks and no query tables.
Figures are rows/s (import) and events/s (baseline); the ratio is import rate / baseline rate,
where one machine row is at least one event. Written to var/bench/registry.json.

    make bench-registry            # or: python benchmarks/bench_registry.py --rows 8000
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_registry.bootstrap import build
from tianmen_registry.config import Settings
from tianmen_registry.domain.uscc import with_check_character
from tianmen_registry.entrypoints.api import build_api
from tianmen_runtime.db import events as event_table
from tianmen_runtime.db import make_engine
from tianmen_runtime.event_store import EventStore
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

NOW = datetime(2026, 5, 12, 9, 30, tzinfo=UTC)
HEADER = [
    "uscc",
    "enterprise_name",
    "kind",
    "brand",
    "model",
    "serial_number",
    "engine_number",
    "rated_power_kw",
    "jurisdiction_code",
]
TOWNS = ["429006001", "429006107", "429006100", "429006105", "429006112"]
KINDS = ["excavator", "loader", "tower_crane", "truck_crane", "road_roller", "forklift"]
BRANDS = ["三一", "XCMG", "柳工", "ZOOMLION", "山推", "CAT"]


def register_file(rows: int, enterprises: int = 40) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for n in range(rows):
        e = n % enterprises
        uscc = with_check_character(f"91429006MA4B{e:04d}")
        sheet.append(
            [
                uscc,
                f"天门示范机械{e}号有限公司",
                KINDS[n % 6],
                BRANDS[n % 6],
                "M1",
                f"SN{n:07d}",
                f"EN{n:07d}",
                100 + n % 50,
                TOWNS[e % 5],
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def time_import(service: Service, content: bytes) -> tuple[float, dict[str, object]]:
    with TestClient(build_api(service, clock=lambda: NOW)) as client:
        started = time.perf_counter()
        response = client.post("/imports/machines", content=content)
        elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response.json()


def recorded_events(service: Service) -> list[tuple[str, DomainEvent]]:
    with service.engine.connect() as conn:
        ids = conn.execute(select(event_table.c.aggregate_id).distinct()).scalars().all()
        store = EventStore(conn, service.source)
        return [(aggregate, r.event) for aggregate in ids for r in store.load(aggregate)]


def time_baseline(url: str, recorded: list[tuple[str, DomainEvent]]) -> float:
    engine = make_engine(url)
    started = time.perf_counter()
    for start in range(0, len(recorded), 500):
        with unit_of_work(engine, "/bench") as uow:
            for aggregate, event in recorded[start : start + 500]:
                version = uow.events.version(aggregate)
                uow.events.append(
                    aggregate, [event], expected_version=version, time=NOW, correlation_id="bench"
                )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=8000)
    args = parser.parse_args()
    content = register_file(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        service = build(Settings(database_url=f"sqlite:///{tmp}/registry.db"))
        seconds, report = time_import(service, content)
        assert report["created"] == args.rows, report
        recorded = recorded_events(service)
        baseline_seconds = time_baseline(f"sqlite:///{tmp}/baseline.db", recorded)
    rate, baseline = args.rows / seconds, len(recorded) / baseline_seconds
    result = {
        "rate": round(rate, 1),
        "baseline": round(baseline, 1),
        "ratio": round(rate / baseline, 3),
    }
    result |= {
        "rows": args.rows,
        "events": len(recorded),
        "import_seconds": round(seconds, 2),
        "database": "sqlite",
    }
    Path("var/bench").mkdir(parents=True, exist_ok=True)
    Path("var/bench/registry.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"import   {rate:9.1f} rows/s   ({args.rows} rows from XLSX in {seconds:.2f} s, through HTTP)"
    )
    print(
        f"baseline {baseline:9.1f} events/s ({len(recorded)} events appended straight to the event table)"
    )
    print(f"ratio    {rate / baseline:9.3f}      -> var/bench/registry.json")


if __name__ == "__main__":
    main()
