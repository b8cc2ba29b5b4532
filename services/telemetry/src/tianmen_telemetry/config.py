"""Telemetry's settings: the shared ones with this service's defaults."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from tianmen_runtime.ports import SERVICE_PORTS
from tianmen_runtime.settings import ServiceSettings

from tianmen_telemetry.domain.ingest import AcceptanceWindow


class Settings(ServiceSettings):
    database_url: str = "sqlite:///var/telemetry.db"
    http_port: int = SERVICE_PORTS["telemetry"]
    report_max_age: timedelta = Field(
        default=timedelta(days=7), description="Oldest reported_at accepted (ISO-8601, P7D)"
    )
    report_max_ahead: timedelta = Field(
        default=timedelta(minutes=10), description="How far a terminal's clock may run ahead"
    )
    binding_wait: float = Field(
        default=3.0, description="Seconds a report waits for its terminal's binding in flight"
    )

    def acceptance_window(self) -> AcceptanceWindow:
        return AcceptanceWindow(self.report_max_age, self.report_max_ahead)


def get_settings() -> Settings:
    return Settings()
