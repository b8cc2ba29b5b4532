"""Settings of the gateway (env: REGISTRY_URL, …, AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE …)."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from tianmen_runtime.ports import SERVICE_PORTS, local_url
from tianmen_runtime.settings import ServiceSettings

DEV_PASSWORD = "tianmen-dev"  # noqa: S105 - the documented local default, refused outside dev
DEV_ENVIRONMENTS = ("dev", "local", "test")


class Settings(ServiceSettings):
    environment: str = Field(default="local", description="local, dev or test allow the demo login")
    http_port: int = SERVICE_PORTS["gateway"]
    registry_url: str = local_url("registry")
    telemetry_url: str = local_url("telemetry")
    safety_url: str = local_url("safety")
    credit_url: str = local_url("credit")
    reports_url: str = local_url("reports")
    upstream_timeout_s: float = Field(default=10.0, description="Per request to a service")
    upstream_connect_timeout_s: float = 2.0
    auth_issuer: str = Field(default="urn:tianmen:gateway:local", description="`iss` required")
    auth_audience: str = Field(default="tianmen-api", description="`aud` required")
    auth_jwks_url: str | None = Field(
        default=None,
        description="The identity provider's JWKS (e.g. Keycloak's …/protocol/openid-connect/"
        "certs); unset: the built-in issuer signs and verifies, and offers the demo login",
    )
    auth_leeway_s: float = Field(default=30, ge=0, le=120)
    auth_token_ttl_s: int = 3600
    auth_key_file: Path | None = Field(
        default=Path("var/gateway-issuer.pem"), description="Built-in issuer's key; None: ephemeral"
    )
    auth_role_claim: str = "tianmen_role"
    auth_jurisdiction_claim: str = "jurisdiction"
    auth_enterprise_claim: str = "enterprise_id"
    demo_password: SecretStr = Field(
        default=SecretStr(DEV_PASSWORD), description="Every demo user's password (local only)"
    )
    rate_limit: str = Field(default="600/minute", description="Per caller (token subject)")
    login_rate_limit: str = Field(
        default="30/minute", description="Logins per client address and username"
    )
    cors_origins: list[str] = Field(default=[], description="Origins allowed by CORS; none: none")
    alert_stream_connections: int = Field(default=100, description="Alert streams at once")
    alert_stream_max_s: float = Field(default=3600, description="A stream then ends; resume")
    alert_stream_heartbeat_s: float = Field(default=15, description="Comment every so often")
    max_body_bytes: int = Field(default=1_000_000, description="Larger bodies: 413, unread")
    media_store_url: str = Field(
        default="",
        description="A tip's `photo_urls` must start with this (the suite's own media store); "
        "empty: none is accepted, photos are uploaded (POST /api/v1/media) and named by id",
    )
    media_max_bytes: int = Field(
        default=11_000_000, description="A photo upload (POST /media): reports' 10 MiB and the form"
    )
    console_dir: Path | None = Field(
        default=None,
        description="The built console (index.html and assets); default: the source tree's "
        "services/gateway/console/dist, as `make console-build` leaves it",
    )
    console_tile_url: str | None = Field(
        default=None,
        description="The console map's raster tiles ({z}/{x}/{y}); none: vector layers only",
    )
    console_tile_gcj02: bool = Field(
        default=False, description="The tiles are a Chinese provider's (GCJ-02): shift positions"
    )
    console_tile_attribution: str = ""

    @model_validator(mode="after")
    def _no_dev_password_outside_dev(self) -> Self:
        dev_default = self.demo_password.get_secret_value() == DEV_PASSWORD
        if dev_default and self.auth_jwks_url is None and self.environment not in DEV_ENVIRONMENTS:
            raise ValueError(
                f"DEMO_PASSWORD is the dev default; set it, or AUTH_JWKS_URL, when "
                f"ENVIRONMENT={self.environment!r}"
            )
        return self

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
