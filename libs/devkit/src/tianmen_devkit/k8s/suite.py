"""What the manifests are generated from: the services, their roles and the shared names."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from tianmen_events.topics import by_name

SERVICES = ("registry", "telemetry", "safety", "credit", "reports", "gateway")
IMAGE = "tianmen/suite"
HTTP_PORT = 8000
KAFKA_CLUSTER = "tianmen-kafka"
KAFKA_BOOTSTRAP = f"{KAFKA_CLUSTER}-kafka-bootstrap:9092"
PART_OF = {"app.kubernetes.io/part-of": "tianmen"}
SERVICE_LABEL = "tianmen.io/service"
ROLE_LABEL = "app.kubernetes.io/component"


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    roles: tuple[str, ...]
    has_tables: bool
    consumed_partitions: int
    """Most partitions of a topic its worker consumes: more workers than that would idle."""

    @property
    def database(self) -> str:
        return f"{self.name}-db"


def load(name: str) -> ServiceSpec:
    """The service as its composition root builds it (settings are not read for roles)."""
    service = importlib.import_module(f"tianmen_{name}.bootstrap").build()
    roles = ["api"]
    if service.produces:
        roles.append("relay")
    partitions = 0
    if service.subscription is not None:
        roles.append("worker")
        partitions = max(by_name(topic).partitions for topic in service.subscription.topics)
    return ServiceSpec(name, tuple(roles), bool(service.metadata.tables), partitions)


def load_all() -> list[ServiceSpec]:
    return [load(name) for name in SERVICES]


def labels(service: str, role: str | None = None) -> dict[str, str]:
    chosen = {**PART_OF, SERVICE_LABEL: service}
    if role is not None:
        chosen[ROLE_LABEL] = role
    return chosen


def metadata(name: str, service: str, role: str | None = None) -> dict[str, object]:
    return {"name": name, "labels": labels(service, role)}
