"""Pick a Kafka for tests and `make run`: env, then Docker (testcontainers), then LocalKafka."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS"
IMAGE_ENV = "TIANMEN_KAFKA_IMAGE"
# testcontainers' KafkaContainer drives Confluent's image scripts; Confluent Platform 8.0 is
# Apache Kafka 4.0 in KRaft mode, the same major version as the local broker (4.4).
DEFAULT_IMAGE = "confluentinc/cp-kafka:8.0.0"
_DEFAULT_SOCKET = "unix:///var/run/docker.sock"


def _ping(sock: socket.socket, address: str | tuple[str, int], timeout: float) -> bool:
    with sock:
        sock.settimeout(timeout)
        try:
            sock.connect(address)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return sock.recv(64).split(b"\r\n", 1)[0].endswith(b" 200 OK")
        except OSError:
            return False


def _ping_docker_host(host: str, timeout: float) -> bool | None:
    """Ping the engine API at a unix:// or tcp:// DOCKER_HOST; None if not such a URL."""
    url = urlparse(host)
    if url.scheme == "unix":
        if not Path(url.path).exists():
            return False
        return _ping(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM), url.path, timeout)
    if url.scheme == "tcp" and url.hostname and url.port:
        address = (url.hostname, url.port)
        return _ping(socket.socket(socket.AF_INET, socket.SOCK_STREAM), address, timeout)
    return None


def _docker_cli_answers(timeout: float) -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    try:
        proc = subprocess.run(
            [docker, "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return False
    return proc.returncode == 0


def docker_available(timeout: float = 2.0) -> bool:
    """True only if a Docker engine answers; says no fast when there is none."""
    host = os.environ.get("DOCKER_HOST")
    pinged = _ping_docker_host(host or _DEFAULT_SOCKET, timeout)
    if pinged:
        return True
    if host and pinged is not None:
        return False
    return _docker_cli_answers(timeout)  # docker contexts, rootless sockets, ssh:// ...


@contextmanager
def _testcontainers_kafka() -> Iterator[str]:
    try:
        from testcontainers.community.kafka import KafkaContainer
    except ImportError:
        from testcontainers.kafka import KafkaContainer
    container = KafkaContainer(os.environ.get(IMAGE_ENV, DEFAULT_IMAGE)).with_kraft()
    for key in ("TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "TRANSACTION_STATE_LOG_MIN_ISR"):
        container.with_env(f"KAFKA_{key}", "1")
    container.with_env("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
    with container:
        yield str(container.get_bootstrap_server())


@contextmanager
def _local_kafka() -> Iterator[str]:
    from tianmen_devkit.kafka import LocalKafka

    with (
        tempfile.TemporaryDirectory(prefix="tianmen-kafka-") as tmp,
        LocalKafka(Path(tmp)) as kafka,
    ):
        yield kafka.bootstrap_servers


@contextmanager
def choose_broker() -> Iterator[str]:
    """Yield bootstrap servers: `$KAFKA_BOOTSTRAP_SERVERS`, else a testcontainers Kafka if a
    Docker engine answers, else a LocalKafka in a temp dir on free ports (stopped at exit)."""
    configured = os.environ.get(BOOTSTRAP_ENV)
    if configured:
        yield configured
        return
    chosen = _testcontainers_kafka() if docker_available() else _local_kafka()
    with chosen as bootstrap:
        yield bootstrap
