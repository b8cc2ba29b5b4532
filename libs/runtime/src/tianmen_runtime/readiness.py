"""Readiness that means something: a service is ready only while its background loops run and
it can reach what it needs — its database and, if it produces or consumes, the broker.

`watch` re-checks every few seconds and sets or clears `Service.ready` (which `/readyz`
reports), logging each change, so a killed broker turns every dependent service unready and
its return makes them ready again without a restart.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)
Check = Callable[[], str | None]
"""Returns why a dependency cannot be reached, or None when it can."""


def database_check(engine: Engine) -> Check:
    def check() -> str | None:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to answer means not ready
            return f"database unreachable: {type(exc).__name__}"
        return None

    return check


def broker_check(bootstrap_servers: str, timeout: float = 1.0) -> Check:
    addresses = [_address(server) for server in bootstrap_servers.split(",") if server.strip()]

    def check() -> str | None:
        for host, port in addresses:
            try:
                socket.create_connection((host, port), timeout=timeout).close()
                return None
            except OSError:
                continue
        return f"broker unreachable at {bootstrap_servers}"

    return check


def _address(server: str) -> tuple[str, int]:
    host, _, port = server.strip().rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def watch(
    ready: threading.Event, checks: list[Check], stop: threading.Event, every_s: float = 2.0
) -> None:
    """Until `stop`: ready while every check passes; each change of state is logged once."""
    while not stop.is_set():
        problems = [problem for check in checks if (problem := check()) is not None]
        if problems and ready.is_set():
            ready.clear()
            log.warning("not ready", extra={"reasons": problems})
        elif not problems and not ready.is_set() and not stop.is_set():
            ready.set()
            log.info("ready")
        stop.wait(every_s)
