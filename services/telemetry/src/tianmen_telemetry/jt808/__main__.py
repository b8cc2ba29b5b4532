"""``python -m tianmen_telemetry.jt808 [serve]``: the JT/T 808 server as a process of its own.

It shares telemetry's store (the bindings the worker projects) and report topic, so it runs
beside `python -m tianmen_telemetry serve` (or its `worker`), and scales apart from it: as
several pods (deploy/k8s), and within one as `JT808_PROCESSES` server processes on one port
(`processes`, `sibling`). Every process reads safety's stop-use orders and sends the texts of
the terminals it holds (`feed`); this first one also applies the unreached rule (`unreached`);
the `StopUseTextDelivered` they record go out through telemetry's outbox relay (decision 100).
"""

from __future__ import annotations

import argparse
import threading

from tianmen_runtime import logs

from tianmen_telemetry import bootstrap
from tianmen_telemetry.jt808.compose import build_feed, build_runner, build_unreached
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.processes import stop_on_signals
from tianmen_telemetry.jt808.runner import after_listening, metrics_once_listening
from tianmen_telemetry.jt808.sibling import spawn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tianmen_telemetry.jt808")
    parser.add_argument("command", nargs="?", choices=["serve"], default="serve")
    parser.parse_args(argv)
    service = bootstrap.build()
    config = Jt808Config()
    name = f"{service.name}-jt808"
    logs.configure(name, service.settings.log_level)
    runner = build_runner(service, config, reuse_port=config.processes > 1)
    service.engine  # noqa: B018 - create the tables before anything listens
    service.prepare()
    siblings = spawn(config.processes - 1)
    stop = threading.Event()
    stop_on_signals(stop)
    metrics = (runner, config.host, config.metrics_port, stop)
    threading.Thread(target=metrics_once_listening, args=metrics, daemon=True).start()
    loops = [build_feed(service, config, runner, name), build_unreached(service, config, name)]
    threads = [
        threading.Thread(target=after_listening, args=(runner, loop, stop)) for loop in loops
    ]
    for thread in threads:
        thread.start()
    try:
        runner(stop)
        for thread in threads:
            thread.join(30)
    finally:
        for sibling in siblings:
            sibling.stop()


if __name__ == "__main__":
    main()
