"""Process and readiness helpers for the local broker."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

from tianmen_devkit.kafka_config import LOOPBACK


def tail(path: Path, lines: int = 40) -> str:
    """Last `lines` lines of a text file, or '' if it does not exist."""
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def port_open(port: int, host: str = LOOPBACK) -> bool:
    """True when something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def broker_answers(bootstrap: str) -> bool:
    """True when the broker serves metadata and lists an unfenced broker."""
    from kafka import KafkaAdminClient  # lazy: keep importing this module cheap
    from kafka.errors import KafkaError

    configs: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "request_timeout_ms": 3000,
        "client_id": "tianmen-devkit-probe",
    }
    if "bootstrap_timeout_ms" in KafkaAdminClient.DEFAULT_CONFIG:  # kafka-python >= 3
        configs["bootstrap_timeout_ms"] = 3000
    try:
        admin = KafkaAdminClient(**configs)
    except (KafkaError, OSError):
        return False
    try:
        brokers = admin.describe_cluster().get("brokers") or []
        return any(not broker.get("is_fenced", False) for broker in brokers)
    except (KafkaError, OSError):
        return False
    finally:
        admin.close()


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def terminate(proc: subprocess.Popen[bytes], timeout: float) -> int:
    """SIGTERM the child's process group, wait up to `timeout`, then SIGKILL it."""
    if proc.poll() is None:
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
    return proc.wait()
