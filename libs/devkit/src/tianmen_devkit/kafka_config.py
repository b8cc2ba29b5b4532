"""Pure helpers for a single-node KRaft broker: ports, cluster id, server.properties."""

from __future__ import annotations

import base64
import hashlib
import socket
from contextlib import ExitStack
from pathlib import Path

LOOPBACK = "127.0.0.1"
NODE_ID = 1


def free_ports(count: int, host: str = LOOPBACK) -> list[int]:
    """`count` distinct ports the OS says are free on `host` right now."""
    with ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(int(sock.getsockname()[1]))
        return ports


def cluster_id_for(data_dir: Path) -> str:
    """A stable Kafka cluster id (22-char url-safe base64 of 16 bytes) derived from a path."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).digest()[:16]
    encoded = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
    # A leading '-' would read as an option on the storage tool's command line.
    return "A" + encoded[1:] if encoded.startswith("-") else encoded


def server_properties(data_dir: Path, port: int, controller_port: int) -> dict[str, str]:
    """server.properties for a combined broker+controller bound to loopback only."""
    broker = f"PLAINTEXT://{LOOPBACK}:{port}"
    controller = f"CONTROLLER://{LOOPBACK}:{controller_port}"
    return {
        "process.roles": "broker,controller",
        "node.id": str(NODE_ID),
        "controller.quorum.bootstrap.servers": f"{LOOPBACK}:{controller_port}",
        "listeners": f"{broker},{controller}",
        "advertised.listeners": f"{broker},{controller}",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs": str(data_dir / "data"),
        "num.partitions": "3",
        "auto.create.topics.enable": "false",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "3",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "3",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "share.coordinator.state.topic.num.partitions": "3",
        "group.initial.rebalance.delay.ms": "0",
    }


def render_properties(props: dict[str, str]) -> str:
    """Java .properties text (values here never need escaping beyond backslashes)."""
    lines = [f"{key}={value.replace(chr(92), chr(92) * 2)}" for key, value in props.items()]
    return "\n".join(lines) + "\n"


def is_formatted(data_dir: Path) -> bool:
    """True when the storage tool already formatted the broker's log dir."""
    return (data_dir / "data" / "meta.properties").is_file()
