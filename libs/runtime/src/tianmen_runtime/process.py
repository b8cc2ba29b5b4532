"""Running a service's parts in one process: HTTP in the foreground (the API, or for a relay or
worker alone just health, readiness and metrics, so Kubernetes can probe and scrape it), the
relay and the consumer as background loops. A loop that dies takes the process down (non-zero exit) and
readiness with it, so a supervisor or Kubernetes restarts it instead of serving stale state.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

import uvicorn

from tianmen_runtime.http import create_app
from tianmen_runtime.service import Loop, Service

log = logging.getLogger(__name__)


def run(service: Service, parts: Sequence[str]) -> None:
    service.engine  # noqa: B018 - create the tables before anything listens
    service.prepare()
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
    for thread in threads:
        thread.start()
    service.ready.set()
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
        app = service.build_api(service)
    else:
        app = create_app(f"tianmen-{service.name} {'+'.join(parts)}", ready=service.ready.is_set)
    config = uvicorn.Config(
        app,
        host=service.settings.http_host,
        port=service.settings.http_port,
        log_config=None,
        access_log=False,
    )
    return uvicorn.Server(config)


def _guard(loop: Loop, stop: threading.Event, fail: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            loop(stop)
        except Exception:
            if not stop.is_set():
                log.exception("background loop died")
                fail()

    return run
