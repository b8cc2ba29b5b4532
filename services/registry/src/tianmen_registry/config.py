"""The registry's settings: the shared ones with this service's defaults."""

from __future__ import annotations

from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "registry"
    database_url: str = "sqlite:///var/registry.db"
    http_port: int = 8101


def get_settings() -> Settings:
    return Settings()
