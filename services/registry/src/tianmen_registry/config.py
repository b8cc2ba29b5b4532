"""The registry's settings: the shared ones with this service's defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from tianmen_runtime.ports import SERVICE_PORTS
from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    database_url: str = "sqlite:///var/registry.db"
    http_port: int = SERVICE_PORTS["registry"]
    jurisdictions_file: Path | None = Field(
        default=None,
        alias="REGISTRY_JURISDICTIONS_FILE",
        description="Replaces the shipped data/jurisdictions.json",
    )
    divisions_file: Path | None = Field(
        default=None,
        alias="REGISTRY_DIVISIONS_FILE",
        description="Replaces the shipped data/divisions.csv (GB/T 2260)",
    )
    working_calendar_file: Path | None = Field(
        default=None,
        alias="REGISTRY_WORKING_CALENDAR_FILE",
        description="Published holiday schedules (JSON) that override or extend chinese-calendar",
    )

    verify_url: str = Field(
        default="http://127.0.0.1:8000/api/v1/verify",
        alias="REGISTRY_VERIFY_URL",
        description="Public verification page the certificate's QR code leads to",
    )


def get_settings() -> Settings:
    return Settings()
