"""Settings of the safety service: the shared ones with this service's local defaults."""

from __future__ import annotations

from tianmen_runtime.ports import SERVICE_PORTS
from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    database_url: str = "sqlite:///var/safety.db"
    http_port: int = SERVICE_PORTS["safety"]


def get_settings() -> Settings:
    return Settings()
