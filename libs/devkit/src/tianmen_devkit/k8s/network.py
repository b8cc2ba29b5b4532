"""NetworkPolicies: deny ingress to every pod and egress from the suite's pods by default; only the gateway is reachable from outside (through the
ingress controller); each service's pods reach only Kafka and their own database, the gateway
only the services' APIs; Prometheus may scrape every pod; DNS is open to all."""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.suite import HTTP_PORT, KAFKA_CLUSTER, PART_OF, SERVICE_LABEL, ServiceSpec

INGRESS_NAMESPACE = "ingress-nginx"
MONITORING_NAMESPACE = "monitoring"
CNPG_NAMESPACE = "cnpg-system"


def _namespace(name: str) -> dict[str, Any]:
    return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": name}}}


def _pods(labels: dict[str, str]) -> dict[str, Any]:
    return {"podSelector": {"matchLabels": labels}}


def _port(port: int) -> list[dict[str, Any]]:
    return [{"protocol": "TCP", "port": port}]


def policy(
    name: str, selector: dict[str, Any], ingress: Any = None, egress: Any = None
) -> dict[str, Any]:
    spec: dict[str, Any] = {"podSelector": selector, "policyTypes": []}
    for kind, rules in (("Ingress", ingress), ("Egress", egress)):
        if rules is not None:
            spec["policyTypes"].append(kind)
            spec[kind.lower()] = rules
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "labels": PART_OF},
        "spec": spec,
    }


def baseline() -> list[dict[str, Any]]:
    dns = [
        {
            "to": [_namespace("kube-system")],
            "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
        }
    ]
    return [
        policy("default-deny-ingress", {}, ingress=[]),
        policy("default-deny-egress", _suite_pods(), egress=[]),
        policy("allow-dns", {}, egress=dns),
        policy(
            "allow-metrics-scraping",
            _suite_pods(),
            ingress=[{"from": [_namespace(MONITORING_NAMESPACE)], "ports": _port(HTTP_PORT)}],
        ),
        policy("audit-replay", {"matchLabels": {SERVICE_LABEL: "audit"}}, egress=[_to_kafka()]),
    ]


def _suite_pods() -> dict[str, Any]:
    """The suite's own pods (not the ones Strimzi and CloudNativePG run, which talk among
    themselves and to the Kubernetes API and have their operators' policies)."""
    return {"matchExpressions": [{"key": SERVICE_LABEL, "operator": "Exists"}]}


def _to_kafka() -> dict[str, Any]:
    return {"to": [_pods({"strimzi.io/cluster": KAFKA_CLUSTER})], "ports": _port(9092)}


def service(spec: ServiceSpec) -> list[dict[str, Any]]:
    selector = {"matchLabels": {SERVICE_LABEL: spec.name}}
    if spec.name == "gateway":
        apis = {"podSelector": {"matchLabels": {**PART_OF, "app.kubernetes.io/component": "api"}}}
        return [
            policy(
                "gateway",
                selector,
                ingress=[{"from": [_namespace(INGRESS_NAMESPACE)], "ports": _port(HTTP_PORT)}],
                egress=[{"to": [apis], "ports": _port(HTTP_PORT)}],
            )
        ]
    db_pods = _pods({"cnpg.io/cluster": spec.database})
    from_gateway = [{"from": [_pods({SERVICE_LABEL: "gateway"})], "ports": _port(HTTP_PORT)}]
    database_ingress = [
        {
            "from": [_pods({SERVICE_LABEL: spec.name}), db_pods, _namespace(CNPG_NAMESPACE)],
            "ports": _port(5432),
        },
        {
            "from": [_namespace(CNPG_NAMESPACE), _namespace(MONITORING_NAMESPACE)],
            "ports": [*_port(8000), *_port(9187)],
        },
    ]
    return [
        policy(
            spec.name,
            selector,
            ingress=from_gateway,
            egress=[_to_kafka(), {"to": [db_pods], "ports": _port(5432)}],
        ),
        policy(
            spec.database,
            {"matchLabels": {"cnpg.io/cluster": spec.database}},
            ingress=database_ingress,
        ),
    ]
