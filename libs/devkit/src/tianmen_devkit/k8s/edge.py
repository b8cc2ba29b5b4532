"""The suite's shared configuration and the one way in from outside: the gateway's Ingress."""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.suite import HTTP_PORT, KAFKA_BOOTSTRAP, PART_OF, metadata


def config() -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "tianmen-config", "labels": PART_OF},
        "data": {
            "KAFKA_BOOTSTRAP_SERVERS": KAFKA_BOOTSTRAP,
            "CREATE_TABLES": "false",  # the migration Jobs own the schema
            "ENVIRONMENT": "production",
            "HTTP_HOST": "0.0.0.0",  # noqa: S104 - inside the pod; NetworkPolicies guard it
            "HTTP_PORT": str(HTTP_PORT),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        },
    }


def ingress() -> dict[str, Any]:
    backend = {"service": {"name": "gateway-api", "port": {"name": "http"}}}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata("gateway", "gateway", "api"),
        "spec": {
            "ingressClassName": "nginx",
            "tls": [{"hosts": ["tianmen.example.internal"], "secretName": "tianmen-gateway-tls"}],
            "rules": [
                {
                    "host": "tianmen.example.internal",
                    "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]},
                }
            ],
        },
    }


def kafka_metrics() -> dict[str, Any]:
    rules = "lowercaseOutputName: true\nrules:\n  - pattern: kafka.server<type=(.+), name=(.+)><>Value\n    name: kafka_server_$1_$2\n"
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "kafka-metrics", "labels": PART_OF},
        "data": {"kafka-metrics-config.yml": rules},
    }
