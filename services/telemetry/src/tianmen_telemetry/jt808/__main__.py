"""``python -m tianmen_telemetry.jt808``: the JT/T 808 server as a process of its own.

It shares telemetry's store (the bindings the worker projects) and report topic, so it runs
beside `python -m tianmen_telemetry serve` (or its `worker`), and scales apart from it.
"""

from __future__ import annotations

import signal
import threading

from prometheus_client import start_http_server
from tianmen_runtime import logs

from tianmen_telemetry import bootstrap
from tianmen_telemetry.jt808.compose import build_runner
from tianmen_telemetry.jt808.config import Jt808Config


def main() -> None:
    service = bootstrap.build()
    config = Jt808Config()
    logs.configure(f"{service.name}-jt808", service.settings.log_level)
    runner = build_runner(service, config)
    service.engine  # noqa: B018 - create the tables before anything listens
    service.prepare()
    start_http_server(config.metrics_port, addr=config.host)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    runner(stop)


if __name__ == "__main__":
    main()
