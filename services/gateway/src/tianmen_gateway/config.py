"""Settings of the gateway (env: REGISTRY_URL, TELEMETRY_URL, SAFETY_URL, CREDIT_URL, REPORTS_URL …)."""

from __future__ import annotations

from pydantic import Field
from tianmen_runtime.ports import SERVICE_PORTS, local_url
from tianmen_runtime.settings import ServiceSettings


class Settings(ServiceSettings):
    http_port: int = SERVICE_PORTS["gateway"]
    registry_url: str = local_url("registry")
    telemetry_url: str = local_url("telemetry")
    safety_url: str = local_url("safety")
    credit_url: str = local_url("credit")
    reports_url: str = local_url("reports")
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
