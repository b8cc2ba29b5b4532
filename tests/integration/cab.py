"""Telemetry's JT/T 808 process beside the suite (the suite runs `serve` only): it holds the
terminals' connections and sends safety's stop-use orders to the cab (`jt808/downlink.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.supervisor import Suite

from tests.integration.faults import read_topic

DELIVERED = "tianmen.telemetry.stop_use_text_delivered"


@contextmanager
def jt808_process(suite: Suite) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m tianmen_telemetry.jt808` on telemetry's store and the suite's broker, on free
    loopback ports; stopped (this process only) on the way out."""
    port, metrics = free_ports(2)
    env = suite.env("telemetry") | {
        "JT808_ENVIRONMENT": "test",
        "JT808_HOST": "127.0.0.1",
        "JT808_PORT": str(port),
        "JT808_METRICS_PORT": str(metrics),
        "CONSUMER_INSTANCE_ID": f"telemetry-jt808-{port}",
    }
    log = (suite.var_dir / "log" / f"jt808-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tianmen_telemetry.jt808"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


def texts_to_the_cab(bootstrap_servers: str, order_id: str) -> list[dict[str, Any]]:
    """The `StopUseTextDelivered` telemetry published for the order (on `telemetry.alert`).
    Other tests put records of every kind on that topic, garbage included (the dead-letter
    tests): only the records typed as a delivery are decoded."""
    found = []
    for record in read_topic(bootstrap_servers, "telemetry.alert"):
        if dict(record.headers).get("ce_type") != DELIVERED.encode():
            continue
        payload = json.loads(record.value)
        if payload["order_id"] == order_id:
            found.append(payload)
    return found
