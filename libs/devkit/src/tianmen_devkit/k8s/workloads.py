"""Per service: a Deployment per role, the API's Service, disruption budgets and autoscalers."""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.containers import ROLE_RESOURCES, SMALL, container, pod_spec, probes
from tianmen_devkit.k8s.suite import HTTP_PORT, ServiceSpec, labels, metadata

REPLICAS = {"api": 2, "relay": 2, "worker": 1}
AUTOSCALED = {("gateway", "api"): (2, 10), ("telemetry", "worker"): (1, None)}


def deployment(spec: ServiceSpec, role: str) -> dict[str, Any]:
    main = {**container(spec, role, [role], ROLE_RESOURCES[role]), **probes()}
    init = []
    if spec.has_tables:  # wait for the migration Job: never run new code on an old schema
        init = [container(spec, "wait-for-schema", ["migrate", "--check"], SMALL)]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata(f"{spec.name}-{role}", spec.name, role),
        "spec": {
            **_replicas(spec, role),
            "revisionHistoryLimit": 3,
            "selector": {"matchLabels": labels(spec.name, role)},
            "template": {
                "metadata": {"labels": labels(spec.name, role)},
                "spec": pod_spec([main], initContainers=init, terminationGracePeriodSeconds=30),
            },
        },
    }


def _replicas(spec: ServiceSpec, role: str) -> dict[str, int]:
    """None where an autoscaler owns the count (an apply would otherwise reset it)."""
    return {} if (spec.name, role) in AUTOSCALED else {"replicas": REPLICAS[role]}


def api_service(spec: ServiceSpec) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(f"{spec.name}-api", spec.name, "api"),
        "spec": {
            "selector": labels(spec.name, "api"),
            "ports": [{"name": "http", "port": 80, "targetPort": HTTP_PORT}],
        },
    }


def disruption_budget(spec: ServiceSpec, role: str) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata(f"{spec.name}-{role}", spec.name, role),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": labels(spec.name, role)}},
    }


def autoscaler(spec: ServiceSpec, role: str) -> dict[str, Any]:
    low, high = AUTOSCALED[(spec.name, role)]
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata(f"{spec.name}-{role}", spec.name, role),
        "spec": {
            "scaleTargetRef": {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "name": f"{spec.name}-{role}",
            },
            "minReplicas": low,
            "maxReplicas": high or spec.consumed_partitions,  # workers: no more than partitions
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": 70},
                    },
                }
            ],
        },
    }


def objects(spec: ServiceSpec) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for role in spec.roles:
        found += [deployment(spec, role), disruption_budget(spec, role)]
        if (spec.name, role) in AUTOSCALED:
            found.append(autoscaler(spec, role))
    found.append(api_service(spec))
    return found
