"""Telemetry's worker(s) and outbox relay as deployed: each its own process, started by the
suite's own entry point (`python -m tianmen_telemetry worker|relay`, as `deploy/k8s` and the
supervisor start them), configured only through the environment like a pod. Each process also
serves its health and metrics port, as it does in the city.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tianmen_devkit.kafka_config import free_ports

STOP_WAIT_S = 30.0


@dataclass(frozen=True)
class Part:
    role: str
    process: subprocess.Popen[bytes]
    log: Path


@contextmanager
def deployed(
    bootstrap: str, database_url: str, workers: int, folder: Path, **settings: str
) -> Iterator[list[Part]]:
    """`workers` workers and one relay over the store at `database_url`, stopped (SIGTERM, as
    Kubernetes does) on leaving; `settings` are more environment variables (`RELAY_IDLE_WAIT_S`)."""
    roles = ["relay", *["worker"] * workers]
    ports = free_ports(len(roles))
    with ExitStack() as stack:
        yield [
            stack.enter_context(_started(role, i, port, bootstrap, database_url, folder, settings))
            for i, (role, port) in enumerate(zip(roles, ports, strict=True))
        ]


def cpu_seconds(parts: list[Part], role: str) -> float:
    """The CPU (user + system) the processes of `role` have used so far (Linux `/proc`)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for part in parts:
        if part.role == role:
            fields = Path(f"/proc/{part.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def waited_for_cpu(parts: list[Part], role: str) -> float:
    """Seconds the threads of `role` have so far spent runnable but waiting for a CPU (Linux
    `schedstat`): time a loaded machine took from them, which no setting of theirs gives back."""
    total = 0
    for part in parts:
        if part.role == role:
            for task in Path(f"/proc/{part.process.pid}/task").iterdir():
                try:
                    total += int((task / "schedstat").read_text().split()[1])
                except (FileNotFoundError, ProcessLookupError):  # a thread that just ended
                    continue
    return total / 1e9


def alive(parts: Sequence[Part]) -> None:
    """Fails with the log of the first process that ended early."""
    for part in parts:
        if part.process.poll() is not None:
            log = part.log.read_text(errors="replace")[-3000:]
            raise SystemExit(f"telemetry {part.role} ended ({part.process.returncode}):\n{log}")


@contextmanager
def _started(
    role: str,
    index: int,
    port: int,
    bootstrap: str,
    database_url: str,
    folder: Path,
    settings: dict[str, str],
) -> Iterator[Part]:
    log = folder / f"{role}-{index}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "HTTP_PORT": str(port),
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    command = [sys.executable, "-m", "tianmen_telemetry", role]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=out)
    try:
        yield Part(role, process, log)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
