"""Containers and pod specs every workload shares: non-root, read-only root, no privileges."""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.suite import HTTP_PORT, IMAGE, SERVICES, ServiceSpec

POD_SECURITY = {
    "runAsNonRoot": True,
    "runAsUser": 10001,
    "runAsGroup": 10001,
    "fsGroup": 10001,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTAINER_SECURITY = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "capabilities": {"drop": ["ALL"]},
}
SMALL = {
    "requests": {"cpu": "50m", "memory": "128Mi"},
    "limits": {"cpu": "500m", "memory": "256Mi"},
}
ROLE_RESOURCES = {
    "api": {
        "requests": {"cpu": "100m", "memory": "192Mi"},
        "limits": {"cpu": "1", "memory": "384Mi"},
    },
    "worker": {
        "requests": {"cpu": "200m", "memory": "256Mi"},
        "limits": {"cpu": "1", "memory": "512Mi"},
    },
    "relay": {
        "requests": {"cpu": "50m", "memory": "128Mi"},
        "limits": {"cpu": "500m", "memory": "256Mi"},
    },
}


def command(service: str, *args: str) -> list[str]:
    return ["python", "-m", f"tianmen_{service}", *args]


def environment(spec: ServiceSpec) -> list[dict[str, Any]]:
    """DATABASE_URL is composed from the secret CloudNativePG keeps for the service's database."""
    if spec.name == "gateway":
        return [
            {"name": f"{name.upper()}_URL", "value": f"http://{name}-api"}
            for name in SERVICES
            if name != "gateway"
        ]
    secret = f"{spec.database}-app"
    parts = [
        {"name": f"DB_{key.upper()}", "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}
        for key in ("username", "password", "host", "dbname")
    ]
    url = "postgresql+psycopg://$(DB_USERNAME):$(DB_PASSWORD)@$(DB_HOST):5432/$(DB_DBNAME)"
    return [*parts, {"name": "DATABASE_URL", "value": url}]


IDENTITY_DIR = "/etc/tianmen/identity"
"""The gateway's vouching key pair, from the Secret `tianmen-identity` (docs/operations.md): the
gateway signs with `private.pem`, every service verifies with `public.pem`."""


def identity_key(spec: ServiceSpec) -> dict[str, Any]:
    key = "private.pem" if spec.name == "gateway" else "public.pem"
    return {"name": "IDENTITY_KEY_FILE", "value": f"{IDENTITY_DIR}/{key}"}


def container(spec: ServiceSpec, name: str, args: list[str], resources: Any) -> dict[str, Any]:
    return {
        "name": name,
        "image": IMAGE,
        "command": command(spec.name, *args),
        "envFrom": [{"configMapRef": {"name": "tianmen-config"}}],
        "env": [
            {"name": "SERVICE_NAME", "value": spec.name},
            identity_key(spec),
            *environment(spec),
        ],
        "resources": resources,
        "securityContext": CONTAINER_SECURITY,
        "volumeMounts": [
            {"name": "tmp", "mountPath": "/tmp"},  # noqa: S108 - an emptyDir
            {"name": "identity", "mountPath": IDENTITY_DIR, "readOnly": True},
        ],
    }


def probes() -> dict[str, Any]:
    def get(path: str, period: int) -> dict[str, Any]:
        return {"httpGet": {"path": path, "port": "http"}, "periodSeconds": period}

    return {
        "ports": [{"name": "http", "containerPort": HTTP_PORT}],
        "startupProbe": {**get("/healthz", 2), "failureThreshold": 30},
        "livenessProbe": {**get("/healthz", 10), "failureThreshold": 3},
        "readinessProbe": {**get("/readyz", 5), "failureThreshold": 2},
    }


def pod_spec(containers: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "automountServiceAccountToken": False,
        "securityContext": POD_SECURITY,
        "containers": containers,
        "volumes": [
            {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}},
            {"name": "identity", "secret": {"secretName": "tianmen-identity"}},
        ],
        **extra,
    }
