"""The one table of local HTTP ports: each service's default `HTTP_PORT`, the supervisor's
ports for `make run`, and the gateway's default upstream URLs all read it."""

from __future__ import annotations

SERVICE_PORTS: dict[str, int] = {
    "gateway": 8000,
    "registry": 8101,
    "telemetry": 8102,
    "safety": 8103,
    "credit": 8104,
    "reports": 8105,
}


def local_url(service: str, ports: dict[str, int] = SERVICE_PORTS) -> str:
    """Where `service` answers on this machine: http://127.0.0.1:<its port>."""
    return f"http://127.0.0.1:{ports[service]}"
