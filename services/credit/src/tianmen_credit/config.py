"""Settings of the credit service: the shared ones with this service's local defaults."""

from __future__ import annotations

from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "credit"
    database_url: str = "sqlite:///var/credit.db"
    http_port: int = 8104


def get_settings() -> Settings:
    return Settings()
