"""A sibling server process (`processes.spawn`): serves its share of the port's connections
and the stop-use texts of the terminals it holds; it stops on SIGTERM or when its pipe closes."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection

from tianmen_runtime import logs

from tianmen_telemetry import bootstrap
from tianmen_telemetry.jt808.compose import build_feed, build_runner
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.processes import Sibling, stop_on_signals, until_closed
from tianmen_telemetry.jt808.runner import after_listening, metrics_once_listening


def serve(index: int, connection: Connection) -> None:
    service = bootstrap.build()
    config = Jt808Config()
    name = f"{service.name}-jt808-{index}"
    logs.configure(name, service.settings.log_level)
    runner = build_runner(service, config, reuse_port=True)
    feed = build_feed(service, config, runner, name)
    stop = threading.Event()
    stop_on_signals(stop)
    watch = threading.Thread(target=until_closed, args=(connection, stop), daemon=True)
    watch.start()
    metrics = threading.Thread(
        target=metrics_once_listening,
        args=(runner, config.host, config.metrics_port + index, stop),
        daemon=True,
    )
    metrics.start()
    texts = threading.Thread(target=after_listening, args=(runner, feed, stop))
    texts.start()
    runner(stop)
    texts.join(30)


def spawn(count: int) -> list[Sibling]:
    """Start `count` sibling processes (indexes 1..count)."""
    context = multiprocessing.get_context("spawn")
    siblings = []
    for index in range(1, count + 1):
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(index, theirs), name=f"jt808-{index}")
        process.start()
        theirs.close()
        siblings.append(Sibling(process, ours))
    return siblings
