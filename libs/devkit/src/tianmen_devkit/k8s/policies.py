"""What every Deployment must have: probes, limits, non-root, a read-only root, and a
NetworkPolicy of its own (beside the default deny) selecting its pods."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Obj = dict[str, Any]


def _selects(selector: Obj, labels: dict[str, str]) -> bool:
    """A label selector with at least one term that matches the labels (an empty one selects
    everything and so covers nothing in particular)."""
    match = selector.get("matchLabels", {})
    expressions = selector.get("matchExpressions", [])
    if not match and not expressions:
        return False
    if any(labels.get(key) != value for key, value in match.items()):
        return False
    return all(_expression(term, labels) for term in expressions)


def _expression(term: Obj, labels: dict[str, str]) -> bool:
    present, value = term["key"] in labels, labels.get(term["key"])
    return {
        "Exists": present,
        "DoesNotExist": not present,
        "In": value in term.get("values", []),
        "NotIn": value not in term.get("values", []),
    }[term["operator"]]


def _container_problems(container: Obj, main: bool) -> Iterator[str]:
    name = container["name"]
    if not container.get("resources", {}).get("limits"):
        yield f"container {name} has no resource limits"
    security = container.get("securityContext", {})
    if not security.get("readOnlyRootFilesystem"):
        yield f"container {name} has a writable root filesystem"
    if security.get("allowPrivilegeEscalation", True):
        yield f"container {name} may escalate privileges"
    if main and not (container.get("livenessProbe") and container.get("readinessProbe")):
        yield f"container {name} lacks a liveness or readiness probe"


def deployment_problems(
    deployment: Obj, policies: list[Obj], all_pods: list[dict[str, str]]
) -> Iterator[str]:
    pod = deployment["spec"]["template"]
    spec, labels = pod["spec"], pod["metadata"].get("labels", {})
    if not spec.get("securityContext", {}).get("runAsNonRoot"):
        yield "pod may run as root"
    for container in spec["containers"]:
        yield from _container_problems(container, main=True)
    for container in spec.get("initContainers", []):
        yield from _container_problems(container, main=False)
    if not any(_specific(p["spec"]["podSelector"], labels, all_pods) for p in policies):
        yield "no NetworkPolicy of its own selects its pods"
    if not any(_denies_all(p) for p in policies):
        yield "no default-deny NetworkPolicy in its namespace"


def _specific(selector: Obj, labels: dict[str, str], all_pods: list[dict[str, str]]) -> bool:
    """Selects these pods but not every pod: a policy written for them, not a blanket one."""
    return _selects(selector, labels) and not all(_selects(selector, pod) for pod in all_pods)


def _denies_all(policy: Obj) -> bool:
    spec = policy["spec"]
    return (
        spec["podSelector"] == {} and "Ingress" in spec["policyTypes"] and not spec.get("ingress")
    )


def problems(objects: list[Obj]) -> Iterator[str]:
    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    deployments = [o for o in objects if o["kind"] == "Deployment"]
    pods = [d["spec"]["template"]["metadata"].get("labels", {}) for d in deployments]
    for deployment in deployments:
        for problem in deployment_problems(deployment, policies, pods):
            yield f"Deployment {deployment['metadata']['name']}: {problem}"
