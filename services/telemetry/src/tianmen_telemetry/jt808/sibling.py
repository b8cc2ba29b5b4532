"""A sibling server process (`processes.spawn`): serves its share of the port's connections
and sends the texts the first process asks for; it stops on SIGTERM or when its pipe closes."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.connection import Connection

from prometheus_client import start_http_server
from tianmen_runtime import logs

from tianmen_telemetry import bootstrap
from tianmen_telemetry.jt808.compose import build_runner
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.processes import Sibling, answer_texts, stop_on_signals
from tianmen_telemetry.jt808.runner import Jt808Runner


def serve(index: int, connection: Connection) -> None:
    service = bootstrap.build()
    config = Jt808Config()
    logs.configure(f"{service.name}-jt808-{index}", service.settings.log_level)
    runner = build_runner(service, config, reuse_port=True)
    stop = threading.Event()
    stop_on_signals(stop)
    texts = threading.Thread(target=answer_texts, args=(connection, runner.send_text, stop))
    texts.start()
    metrics = threading.Thread(
        target=_metrics_once_listening, args=(runner, config, index, stop), daemon=True
    )
    metrics.start()
    runner(stop)
    texts.join(5)


def _metrics_once_listening(
    runner: Jt808Runner, config: Jt808Config, index: int, stop: threading.Event
) -> None:
    """`/metrics` answers once this process takes connections (the bench waits on it)."""
    while not runner.listening.wait(0.5):
        if stop.is_set():
            return
    start_http_server(config.metrics_port + index, addr=config.host)


def spawn(count: int, text_timeout: float) -> list[Sibling]:
    """Start `count` sibling processes (indexes 1..count)."""
    context = multiprocessing.get_context("spawn")
    siblings = []
    for index in range(1, count + 1):
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(index, theirs), name=f"jt808-{index}")
        process.start()
        theirs.close()
        siblings.append(Sibling(process, ours, text_timeout))
    return siblings
