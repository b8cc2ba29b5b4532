"""The same telemetry subscription as a Faust agent, one event at a time, as the Faust user guide
writes agents (run in its own process by bench_consumer.py; prints events/s).

    python benchmarks/faust_agent.py BOOTSTRAP DATABASE_URL TOTAL RESULT_FILE

Writes the seconds from its first event to its last into RESULT_FILE.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import faust
from tianmen_events.topics import REGISTRY_MACHINE, TELEMETRY_REPORT
from tianmen_runtime.db import make_engine
from tianmen_runtime.projection import apply_record
from tianmen_runtime.testing import Record
from tianmen_telemetry.bootstrap import build
from tianmen_telemetry.config import Settings


def main(bootstrap: str, database_url: str, total: int, result: Path) -> None:
    service = build(Settings(database_url=database_url, kafka_bootstrap_servers=bootstrap))
    subscription, engine = service.subscription, make_engine(database_url, service.metadata)
    assert subscription is not None
    app = faust.App(
        f"bench-faust-{uuid.uuid4()}",
        broker=f"kafka://{bootstrap}",
        store="memory://",
        topic_disable_leader=True,
        topic_replication_factor=1,
        web_enabled=False,
        consumer_auto_offset_reset="earliest",
        datadir=result.parent / "faust-data",
        producer_acks=-1,
    )
    topics = app.topic(
        REGISTRY_MACHINE.name,
        TELEMETRY_REPORT.name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
    )
    seen: list[float] = []

    @app.agent(topics)
    async def project(stream: Any) -> None:
        async for event in stream.events():
            seen.append(time.perf_counter())
            apply_record(engine, subscription, _record(event.message))
            if len(seen) == total:
                result.write_text(f"{seen[-1] - seen[0]:.6f}")
                os.kill(os.getpid(), signal.SIGTERM)

    sys.argv[1:] = []  # the worker reads the command line as its own
    faust.Worker(app, loglevel="warning", quiet=True).execute_from_commandline()


def _record(message: Any) -> Record:
    headers = message.headers or []
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    return Record(
        message.topic, message.partition, message.offset, message.key, message.value, pairs
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
