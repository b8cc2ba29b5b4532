"""The registry's settings: the shared ones with this service's defaults."""

from __future__ import annotations

from tianmen_runtime.ports import SERVICE_PORTS
from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    database_url: str = "sqlite:///var/registry.db"
    http_port: int = SERVICE_PORTS["registry"]


def get_settings() -> Settings:
    return Settings()
