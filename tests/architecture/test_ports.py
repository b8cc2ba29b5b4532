"""One table of local ports: every service, the supervisor and the gateway agree on it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from tianmen_devkit.supervisor import SERVICES, Suite
from tianmen_gateway.config import Settings as GatewaySettings
from tianmen_runtime.ports import SERVICE_PORTS
from tianmen_runtime.settings import ServiceSettings


def _settings(service: str) -> ServiceSettings:
    settings = importlib.import_module(f"tianmen_{service}.config").Settings()
    assert isinstance(settings, ServiceSettings)
    return settings


def test_every_service_has_its_own_port() -> None:
    assert sorted(SERVICE_PORTS) == sorted(SERVICES)
    assert len(set(SERVICE_PORTS.values())) == len(SERVICE_PORTS)


@pytest.mark.parametrize("service", SERVICES)
def test_service_listens_where_the_supervisor_and_gateway_look(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PORT", *(f"{s.upper()}_URL" for s in SERVICES)):
        monkeypatch.delenv(name, raising=False)
    port = _settings(service).http_port
    assert port == Suite(Path("var"), bootstrap_servers="").ports[service]
    if service != "gateway":
        assert GatewaySettings().service_urls()[service] == f"http://127.0.0.1:{port}"
