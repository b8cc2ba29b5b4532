"""`python -m tianmen_telemetry.jt808` on a suite's telemetry store, as its pods run it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.supervisor import Suite
from tianmen_runtime.readiness import broker_check

from tests.integration.helpers import eventually


@contextmanager
def running_jt808(suite: Suite, **env: str) -> Iterator[int]:
    """The server's port, once it listens; `env`: more of its settings (REPORT_MAX_AGE, …)."""
    port, metrics = free_ports(2)
    settings = {
        **os.environ,
        "DATABASE_URL": suite.database_url("telemetry"),
        "KAFKA_BOOTSTRAP_SERVERS": suite.bootstrap_servers,
        "ENVIRONMENT": "test",
        "JT808_PORT": str(port),
        "JT808_METRICS_PORT": str(metrics),
        **env,
    }
    server = subprocess.Popen([sys.executable, "-m", "tianmen_telemetry.jt808"], env=settings)
    try:
        listening = broker_check(f"127.0.0.1:{port}")  # any TCP listener: it connects
        # A Python process's start: a minute or more at load 25 on 2 cores (seen).
        eventually(lambda: listening() is None, timeout=180, what="the JT/T 808 server to listen")
        yield port
    finally:
        server.terminate()
        server.wait(60)
