"""Settings of the safety service: the shared ones with this service's local defaults."""

from __future__ import annotations

from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "safety"
    database_url: str = "sqlite:///var/safety.db"
    http_port: int = 8103


def get_settings() -> Settings:
    return Settings()
