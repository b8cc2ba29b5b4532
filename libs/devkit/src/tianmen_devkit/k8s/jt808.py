"""Telemetry's JT/T 808 server (`python -m tianmen_telemetry.jt808`): the terminals' way in.

Terminals hold one TCP connection each for hours, from outside the cluster: a LoadBalancer
Service with `externalTrafficPolicy: Local` (the terminals' own addresses reach the pods, and a
node without a ready pod gets no traffic), and a NetworkPolicy admitting them on that port.
Sized from the measured CPU a report (200-244 us; a pod of `JT808_PROCESSES=2` takes ~5,800
reports/s): 3 pods for 8,000 terminals at one report a second, so that with one pod drained
(the disruption budget, a rolling update) the other two still carry 11,600/s. The autoscaler
adds pods for the design load (ten times that); an added pod takes new connections only, and a
removed one hangs up on its terminals (they reconnect), so it scales down slowly.

Stop-use texts reach a terminal whichever pod holds it (decision 100): every process reads every
order; the pods need nothing between them but Kafka and telemetry's store.
"""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.containers import SMALL, container, pod_spec
from tianmen_devkit.k8s.network import MONITORING_NAMESPACE, policy
from tianmen_devkit.k8s.suite import HTTP_PORT, ServiceSpec, labels, metadata

ROLE = "jt808"
PORT = 8808
PROCESSES = 2  # each about a core (the GIL); the sibling's /metrics is on HTTP_PORT + 1
REPLICAS = (3, 14)  # 8,000 terminals with one pod down; 80,000 / 5,800 a pod
DRAIN_SECONDS = 10  # SIGTERM: reports in flight answered, then every terminal hung up on
SECRET_NAME = "tianmen-jt808"  # noqa: S105 - a Secret's name; key `secret`, the same in every pod
RESOURCES = {
    "requests": {"cpu": "750m", "memory": "512Mi"},  # 2,700 reports/s x 244 us, a third of 8,000
    "limits": {"cpu": "2", "memory": "1Gi"},  # two processes, a core each
}
TERMINAL_SOURCES = "0.0.0.0/0"  # SITE: the carriers' APN ranges, if the terminals use one


def _name(spec: ServiceSpec) -> str:
    return f"{spec.name}-{ROLE}"


def _environment() -> list[dict[str, Any]]:
    plain = {
        "JT808_HOST": "0.0.0.0",  # noqa: S104 - inside the pod; the NetworkPolicy guards it
        "JT808_PORT": str(PORT),
        "JT808_METRICS_PORT": str(HTTP_PORT),
        "JT808_PROCESSES": str(PROCESSES),
        "JT808_DRAIN_SECONDS": str(DRAIN_SECONDS),
    }
    secret = {"secretKeyRef": {"name": SECRET_NAME, "key": "secret"}}
    return [
        *({"name": key, "value": value} for key, value in plain.items()),
        {"name": "JT808_SECRET", "valueFrom": secret},
    ]


def _server(spec: ServiceSpec) -> dict[str, Any]:
    base = container(spec, ROLE, [], RESOURCES)
    metrics = {"httpGet": {"path": "/metrics", "port": "http"}}  # answers once it listens
    return {
        **base,
        "command": ["python", "-m", f"tianmen_{spec.name}.jt808", "serve"],
        "env": [*base["env"], *_environment()],
        "ports": [
            {"name": "jt808", "containerPort": PORT, "protocol": "TCP"},
            {"name": "http", "containerPort": HTTP_PORT},
            {"name": "http-1", "containerPort": HTTP_PORT + 1},
        ],
        "startupProbe": {**metrics, "periodSeconds": 2, "failureThreshold": 30},
        "livenessProbe": {**metrics, "periodSeconds": 10, "failureThreshold": 3},
        "readinessProbe": {**metrics, "periodSeconds": 5, "failureThreshold": 2},
    }


def deployment(spec: ServiceSpec) -> dict[str, Any]:
    wait = container(spec, "wait-for-schema", ["migrate", "--check"], SMALL)
    template = pod_spec(
        [_server(spec)],
        initContainers=[wait],
        terminationGracePeriodSeconds=45,  # the drain, then a text being answered (15 s)
    )
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata(_name(spec), spec.name, ROLE),
        "spec": {  # no replicas: the autoscaler owns the count
            "revisionHistoryLimit": 3,
            "selector": {"matchLabels": labels(spec.name, ROLE)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
            },
            "template": {"metadata": {"labels": labels(spec.name, ROLE)}, "spec": template},
        },
    }


def service(spec: ServiceSpec) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(_name(spec), spec.name, ROLE),
        "spec": {
            "type": "LoadBalancer",
            "externalTrafficPolicy": "Local",
            "selector": labels(spec.name, ROLE),
            "ports": [{"name": "jt808", "port": PORT, "targetPort": "jt808", "protocol": "TCP"}],
        },
    }


def disruption_budget(spec: ServiceSpec) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata(_name(spec), spec.name, ROLE),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels(spec.name, ROLE)}},
    }


def autoscaler(spec: ServiceSpec) -> dict[str, Any]:
    low, high = REPLICAS
    cpu = {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}
    slowly = {"type": "Pods", "value": 1, "periodSeconds": 300}
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata(_name(spec), spec.name, ROLE),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": _name(spec)},
            "minReplicas": low,
            "maxReplicas": high,
            "metrics": [{"type": "Resource", "resource": cpu}],
            "behavior": {
                "scaleDown": {"stabilizationWindowSeconds": 900, "policies": [slowly]},
            },
        },
    }


def network_policy(spec: ServiceSpec) -> dict[str, Any]:
    """Terminals on the JT/T 808 port; Prometheus on the sibling's metrics port too (the
    service's own policy covers Kafka, its database, and the first process's metrics)."""
    terminals = {"from": [{"ipBlock": {"cidr": TERMINAL_SOURCES}}], "ports": _tcp(PORT)}
    names = {"kubernetes.io/metadata.name": MONITORING_NAMESPACE}
    monitoring = {"namespaceSelector": {"matchLabels": names}}
    scraping = {"from": [monitoring], "ports": _tcp(HTTP_PORT + 1)}
    selector = {"matchLabels": labels(spec.name, ROLE)}
    return policy(_name(spec), selector, ingress=[terminals, scraping])


def _tcp(port: int) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port}]


def objects(spec: ServiceSpec) -> list[dict[str, Any]]:
    return [
        deployment(spec),
        service(spec),
        disruption_budget(spec),
        autoscaler(spec),
        network_policy(spec),
    ]
