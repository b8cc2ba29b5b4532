"""Running a service's parts in one process: HTTP in the foreground (the API, or for a relay or
worker alone just health, readiness and metrics, so Kubernetes can probe and scrape it), the
relay and the consumer as background loops. A loop that dies takes the process down (non-zero exit) and
readiness with it, so a supervisor or Kubernetes restarts it instead of serving stale state.
Readiness also follows the database and the broker (`readiness.watch`).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import uvicorn
from kafka.errors import KafkaError

from tianmen_runtime import freshness, readiness, redrive
from tianmen_runtime.http import create_app
from tianmen_runtime.identity import public_key
from tianmen_runtime.identity_edge import require_identity
from tianmen_runtime.service import Loop, Service

log = logging.getLogger(__name__)

KEEP_ALIVE_S = 30
"""How long an idle keep-alive connection stays open. The gateway's client drops its idle
connections after 5 s; a server closing at that same 5 s (uvicorn's default) races the client
reusing one, and the read comes back as "the connection failed mid-request" (seen under
bench-gateway, whose rounds leave the gateway's pool idle for 10 s)."""


def run(service: Service, parts: Sequence[str]) -> None:
    service.engine  # noqa: B018 - create the tables before anything listens
    service.prepare()
    with started_frozen():
        _run(service, parts)


@contextmanager
def started_frozen() -> Iterator[None]:
    """What a process built to start (modules, its schemas and metadata, the service) lives as
    long as it does: collected once and frozen (`gc.freeze`), so the collector's full passes
    while it runs walk only what came since. Those passes walked ~120,000 objects in a telemetry
    worker, ~4 us a report (h71's probe). Frozen objects are still freed by their reference
    counts. Unfrozen at the end; nothing is done if something else froze objects first (a
    replay's `_set_aside` in the same process)."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _run(service: Service, parts: Sequence[str]) -> None:
    stop, failed = threading.Event(), threading.Event()
    server = _http_server(service, parts)

    def fail() -> None:
        failed.set()
        service.ready.clear()
        stop.set()
        server.should_exit = True

    threads = [
        threading.Thread(target=_guard(loop, stop, fail), name=loop.__name__, daemon=True)
        for loop in service.loops(parts)
    ]
    threads.append(threading.Thread(target=_watch_readiness(service, stop), daemon=True))
    threads.append(threading.Thread(target=_exit_on(stop, server), daemon=True))
    if service.subscription is not None and "worker" in parts:
        dlq_size = (service.settings.kafka_bootstrap_servers, service.subscription.name, stop)
        threads.append(threading.Thread(target=redrive.watch_pending, args=dlq_size, daemon=True))
    for thread in threads:
        thread.start()
    try:
        server.run()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    if failed.is_set():
        raise SystemExit(f"{service.name}: a background loop died (see the log above)")


def _http_server(service: Service, parts: Sequence[str]) -> uvicorn.Server:
    if "api" in parts:
        if service.subscription is not None:  # its workers may run elsewhere: ask the store
            freshness.read_from(service.engine, service.subscription.name)
        app = service.build_api(service)
        if service.verifies_identity:
            require_identity(app, public_key(service.settings.identity_key_file))
    else:
        app = create_app(f"tianmen-{service.name} {'+'.join(parts)}", ready=service.ready.is_set)
    config = uvicorn.Config(
        app,
        host=service.settings.http_host,
        port=service.settings.http_port,
        log_config=None,
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
    return uvicorn.Server(config)


def _exit_on(stop: threading.Event, server: uvicorn.Server) -> Callable[[], None]:
    """Whatever sets `stop` (a loop that ended, a failure) also ends the HTTP server."""

    def run() -> None:
        stop.wait()
        server.should_exit = True

    return run


def _watch_readiness(service: Service, stop: threading.Event) -> Callable[[], None]:
    checks = [readiness.database_check(service.engine)]
    if service.produces or service.subscription is not None:
        checks.append(readiness.broker_check(service.settings.kafka_bootstrap_servers))
    return lambda: readiness.watch(service.ready, checks, stop)


def _guard(loop: Loop, stop: threading.Event, fail: Callable[[], None]) -> Callable[[], None]:
    """Run `loop` until `stop`. Losing the broker is an outage to ride out (readiness already
    says so): the loop starts again with fresh clients after 1 s, doubling to 30 s. Anything
    else takes the process down, to be restarted by its supervisor."""

    def run() -> None:
        delay = 1.0
        while not stop.is_set():
            started = time.monotonic()
            try:
                loop(stop)
                return
            except KafkaError as exc:
                delay = 1.0 if time.monotonic() - started > 60 else delay
                log.warning("loop lost the broker; restarting it", extra={"error": str(exc)})
                stop.wait(delay)
                delay = min(delay * 2, 30.0)
            except Exception:
                if not stop.is_set():
                    log.exception("background loop died")
                    fail()
                return

    return run
