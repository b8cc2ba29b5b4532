"""A real single-node Apache Kafka (KRaft) run from Maven Central jars, no Docker.

CLI: `python -m tianmen_devkit.kafka {fetch,start,console-consumer,topics} ...`
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

from tianmen_devkit.kafka_config import (
    LOOPBACK,
    cluster_id_for,
    free_ports,
    is_formatted,
    render_properties,
    server_properties,
)
from tianmen_devkit.kafka_jars import (
    BROKER_LOG4J,
    BROKER_MAIN,
    KAFKA_VERSION,
    STORAGE_TOOL_MAIN,
    TOOL_JVM_OPTS,
    broker_jvm_opts,
    ensure_jars,
    java_command,
)
from tianmen_devkit.kafka_probe import broker_answers, port_open, tail, terminate


class KafkaStartError(RuntimeError):
    """The broker did not come up."""


class LocalKafka:
    """One KRaft broker+controller process bound to 127.0.0.1, data under `data_dir`."""

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        controller_port: int | None = None,
        version: str = KAFKA_VERSION,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.version = version
        wanted = [p for p in (port, controller_port) if p is None]
        spare = iter(free_ports(len(wanted))) if wanted else iter(())
        self.port: int = port if port is not None else next(spare)
        self.controller_port: int = controller_port if controller_port is not None else next(spare)
        self._proc: subprocess.Popen[bytes] | None = None
        self._out: IO[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        """`127.0.0.1:<port>`."""
        return f"{LOOPBACK}:{self.port}"

    @property
    def logs_dir(self) -> Path:
        """Where `server.log` (log4j, WARN+) and `broker.out` (stdout/stderr) go."""
        return self.data_dir / "logs"

    @property
    def config_path(self) -> Path:
        return self.data_dir / "server.properties"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def ensure_jars(self) -> Path:
        """Fetch the jars into the cache if missing; return the libs dir."""
        return ensure_jars(self.version)

    def write_config(self) -> Path:
        """(Re)write server.properties for the current ports."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        props = server_properties(self.data_dir, self.port, self.controller_port)
        self.config_path.write_text(render_properties(props), encoding="utf-8")
        return self.config_path

    def _java(self, main: str, args: list[str], jvm_opts: tuple[str, ...]) -> list[str]:
        return java_command(
            self.ensure_jars(),
            main,
            args,
            log4j=BROKER_LOG4J,
            jvm_opts=jvm_opts,
            sysprops={"kafka.logs.dir": str(self.logs_dir)},
        )

    def format(self) -> bool:
        """Format KRaft storage (standalone controller) unless done before; True if it ran."""
        config = self.write_config()
        if is_formatted(self.data_dir):
            return False
        args = [
            "format",
            "--config",
            str(config),
            "--cluster-id",
            cluster_id_for(self.data_dir),
            "--standalone",
            "--ignore-formatted",
        ]
        proc = subprocess.run(
            self._java(STORAGE_TOOL_MAIN, args, TOOL_JVM_OPTS),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            raise KafkaStartError(f"kafka storage format failed:\n{proc.stdout}{proc.stderr}")
        return True

    def start(self) -> None:
        """Format if needed and launch the broker in its own process group."""
        if self.running:
            return
        if port_open(self.port) or port_open(self.controller_port):
            raise KafkaStartError(
                f"port {self.port} or {self.controller_port} on {LOOPBACK} is already in use"
            )
        self.format()
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        cmd = self._java(BROKER_MAIN, [str(self.config_path)], broker_jvm_opts())
        if self._out is not None:
            self._out.close()
        self._out = (self.logs_dir / "broker.out").open("ab")
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def exit_code(self) -> int | None:
        """The broker's exit code if it was started and has exited, else None."""
        return self._proc.poll() if self._proc is not None else None

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the broker process to exit on its own; return its exit code."""
        if self._proc is None:
            raise KafkaStartError("broker not started")
        return self._proc.wait(timeout)

    def log_tail(self, lines: int = 40) -> str:
        """Last lines of broker.out and server.log."""
        parts = [
            f"--- {p} ---\n{tail(p, lines)}"
            for p in (self.logs_dir / "broker.out", self.logs_dir / "server.log")
        ]
        return "\n".join(parts)

    def wait_ready(self, timeout: float = 60) -> None:
        """Block until the broker answers metadata; raise with the log tail if it dies or stalls."""
        if self._proc is None:
            raise KafkaStartError("broker not started")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise KafkaStartError(f"broker exited with {code}\n{self.log_tail()}")
            if port_open(self.port) and broker_answers(self.bootstrap_servers):
                return
            time.sleep(0.2)
        raise KafkaStartError(f"broker not ready after {timeout}s\n{self.log_tail()}")

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM the process group, wait, then SIGKILL; return the exit code."""
        proc, self._proc = self._proc, None
        code = None
        if proc is not None:
            code = terminate(proc, timeout)
        if self._out is not None:
            self._out.close()
            self._out = None
        return code

    def __enter__(self) -> Self:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


if __name__ == "__main__":
    from tianmen_devkit.kafka_cli import main

    raise SystemExit(main())
