"""``python -m tianmen_telemetry.jt808``: the JT/T 808 server as a process of its own.

It shares telemetry's store (the bindings the worker projects) and report topic, so it runs
beside `python -m tianmen_telemetry serve` (or its `worker`), and scales apart from it. Beside
the server it consumes safety's stop-use orders and sends them to the cab (`downlink`); the
`StopUseTextDelivered` it records goes out through telemetry's outbox relay. With
`JT808_PROCESSES` > 1 it starts that many - 1 sibling server processes on the same port
(`processes`, `sibling`); this one still consumes the orders and routes each text.
"""

from __future__ import annotations

import dataclasses
import threading

from prometheus_client import start_http_server
from tianmen_runtime import logs
from tianmen_runtime.http import wall_clock
from tianmen_runtime.service import Loop

from tianmen_telemetry import bootstrap
from tianmen_telemetry.jt808.compose import build_runner
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.downlink import downlink_subscription
from tianmen_telemetry.jt808.processes import routed, stop_on_signals
from tianmen_telemetry.jt808.runner import Jt808Runner
from tianmen_telemetry.jt808.sibling import spawn


def main() -> None:
    service = bootstrap.build()
    config = Jt808Config()
    logs.configure(f"{service.name}-jt808", service.settings.log_level)
    runner = build_runner(service, config, reuse_port=config.processes > 1)
    service.engine  # noqa: B018 - create the tables before anything listens
    service.prepare()
    siblings = spawn(config.processes - 1, config.text_timeout)
    start_http_server(config.metrics_port, addr=config.host)
    stop = threading.Event()
    stop_on_signals(stop)
    orders = downlink_subscription(service.source, routed(runner.send_text, siblings), wall_clock)
    downlink = dataclasses.replace(service, subscription=orders)
    downlink.prepare()
    consumer = threading.Thread(target=_after_listening, args=(runner, downlink.worker_loop, stop))
    consumer.start()
    try:
        runner(stop)
        consumer.join(30)
    finally:
        for sibling in siblings:
            sibling.stop()


def _after_listening(runner: Jt808Runner, loop: Loop, stop: threading.Event) -> None:
    """Orders are consumed only once terminals can be reached."""
    while not runner.listening.wait(0.5):
        if stop.is_set():
            return
    loop(stop)


if __name__ == "__main__":
    main()
