"""Settings of the gateway (env: REGISTRY_URL, TELEMETRY_URL, SAFETY_URL, CREDIT_URL, REPORTS_URL …)."""

from __future__ import annotations

from pydantic import Field
from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "gateway"
    database_url: str = "sqlite:///var/gateway.db"
    http_port: int = 8000
    registry_url: str = "http://127.0.0.1:8101"
    telemetry_url: str = "http://127.0.0.1:8102"
    safety_url: str = "http://127.0.0.1:8103"
    credit_url: str = "http://127.0.0.1:8104"
    reports_url: str = "http://127.0.0.1:8105"
    upstream_timeout_s: float = Field(default=10.0, description="Per request to a service")
    upstream_connect_timeout_s: float = 2.0

    def service_urls(self) -> dict[str, str]:
        return {
            "registry": self.registry_url,
            "telemetry": self.telemetry_url,
            "safety": self.safety_url,
            "credit": self.credit_url,
            "reports": self.reports_url,
        }


def get_settings() -> Settings:
    return Settings()
