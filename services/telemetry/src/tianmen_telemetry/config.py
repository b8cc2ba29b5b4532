"""Telemetry's settings: the shared ones with this service's defaults."""

from __future__ import annotations

from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "telemetry"
    database_url: str = "sqlite:///var/telemetry.db"
    http_port: int = 8102


def get_settings() -> Settings:
    return Settings()
