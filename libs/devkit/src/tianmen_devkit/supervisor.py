"""Runs the six services as child processes: start, wait until ready, stop cleanly.

Used by `make run` (through `python -m tianmen_devkit.run`) and by the integration tests, so
both exercise the same processes a newcomer sees. `supervise()` restarts a service that died,
with backoff; each child's output goes to a size-rotated log under `var/log`.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tianmen_runtime.ports import SERVICE_PORTS, local_url

from tianmen_devkit.child_logs import ChildLog
from tianmen_devkit.restarts import Restarts

log = logging.getLogger("tianmen.supervisor")
SERVICES = ("registry", "telemetry", "safety", "credit", "reports", "gateway")


@dataclass
class Suite:
    var_dir: Path
    bootstrap_servers: str
    ports: dict[str, int] = field(default_factory=lambda: dict(SERVICE_PORTS))
    database_urls: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: dict[str, ChildLog] = field(default_factory=dict)
    restarts: Restarts = field(default_factory=Restarts)

    def url(self, service: str) -> str:
        return local_url(service, self.ports)

    @property
    def identity_key_file(self) -> Path:
        """The key the gateway signs its callers' identity with (tests sign direct calls too)."""
        return self.var_dir / "identity.pem"

    def log_path(self, service: str) -> Path:
        return self.var_dir / "log" / f"{service}.log"

    def database_url(self, service: str) -> str:
        """The service's own store: SQLite under var_dir unless a URL was given."""
        return self.database_urls.get(service, f"sqlite:///{self.var_dir / f'{service}.db'}")

    def env(self, service: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url(service),
            KAFKA_BOOTSTRAP_SERVERS=self.bootstrap_servers,
            HTTP_PORT=str(self.ports[service]),
            HTTP_HOST="127.0.0.1",
            # static group membership: a restarted worker takes its partitions back at once
            CONSUMER_INSTANCE_ID=f"{service}-{self.ports[service]}",
            AUTH_KEY_FILE=str(self.var_dir / "gateway-issuer.pem"),  # the gateway's local issuer
            IDENTITY_KEY_FILE=str(self.identity_key_file),  # the gateway vouches, services verify
        )
        for name in SERVICES:
            env[f"{name.upper()}_URL"] = self.url(name)
        return env

    def start(self) -> None:
        for service in SERVICES:
            self._launch(service)

    @contextmanager
    def running(self, timeout: float = 120.0) -> Iterator[Suite]:
        """Start every service, wait until all are ready, stop them all on the way out."""
        self.start()
        try:
            self.wait_ready(timeout)
            yield self
        finally:
            self.stop()

    def _launch(self, service: str) -> None:
        if service not in self.logs:
            self.logs[service] = ChildLog(self.log_path(service))
        process = subprocess.Popen(
            [sys.executable, "-m", f"tianmen_{service}", "serve"],
            env=self.env(service),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            umask=0o077,  # its database and files are its own (personal data)
        )
        assert process.stdout is not None
        self.logs[service].follow(process.stdout)
        self.processes[service] = process
        self.restarts.started(service)

    def supervise(self) -> None:
        """Restart every service that exited, with backoff; each death and restart is logged."""
        for service, process in self.processes.items():
            if process.poll() is None:
                continue
            if not self.restarts.pending(service):
                delay = self.restarts.schedule(service)
                self._note(service, f"exited with {process.returncode}; restart in {delay:.0f}s")
            elif self.restarts.due(service):
                self._launch(service)
                self._note(service, "restarted")

    def _note(self, service: str, what: str) -> None:
        log.warning("%s %s", service, what)
        self.logs[service].write(f"supervisor: {service} {what}")

    def crash_and_restart(self, service: str, timeout: float = 60.0) -> None:
        """SIGKILL the service mid-flight (no clean shutdown, no final commit), start it again."""
        process = self.processes[service]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        self._launch(service)
        self.wait_ready(timeout, only=(service,))

    def wait_ready(self, timeout: float = 90.0, only: tuple[str, ...] = SERVICES) -> None:
        deadline = time.monotonic() + timeout
        pending = list(only)
        while pending:
            service = pending[0]
            if self.processes[service].poll() is not None:
                raise RuntimeError(f"{service} exited:\n{self.tail(service)}")
            if _ready(self.url(service)):
                pending.pop(0)
                continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"{service} not ready in {timeout}s:\n{self.tail(service)}")
            time.sleep(0.2)

    def tail(self, service: str, lines: int = 40) -> str:
        path = self.log_path(service)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        for child_log in self.logs.values():
            child_log.close()


def _ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/readyz", timeout=1) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
