"""Settings of the reports service (env: DATABASE_URL, HTTP_PORT, TIP_AREA …)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from tianmen_runtime.ports import SERVICE_PORTS
from tianmen_runtime.settings import ServiceSettings

DEV_SECRET = "tianmen-reports-dev-only"  # noqa: S105 - a placeholder, refused outside development
DEV_ENVIRONMENTS = frozenset({"local", "test"})


class Settings(ServiceSettings):
    database_url: str = "sqlite:///var/reports.db"
    http_port: int = SERVICE_PORTS["reports"]
    tip_area: tuple[float, float, float, float] = Field(
        default=(3.8, 73.4, 53.6, 135.1),
        description="Where tips may be, WGS-84 [south, west, north, east]; default mainland China",
    )
    media_dir: Path = Field(
        default=Path("var/media"), description="Where tip photos and videos are kept on disk"
    )

    media_s3_bucket: str | None = Field(
        default=None, description="Keep media in this S3-compatible bucket instead of MEDIA_DIR"
    )
    media_s3_endpoint: str | None = Field(
        default=None, description="The S3-compatible endpoint (MinIO…); default AWS"
    )
    jurisdictions_file: Path | None = Field(
        default=None,
        description="Township polygons tips are routed by; default the registry's jurisdiction data",
    )
    environment: str = Field(default="local", description="local | test | production")
    pseudonym_secret: SecretStr = Field(
        default=SecretStr(DEV_SECRET),
        description="HMAC key turning a reporter id into the pseudonym events carry",
    )

    @model_validator(mode="after")
    def _no_placeholder_secret(self) -> Settings:
        placeholder = self.pseudonym_secret.get_secret_value() == DEV_SECRET
        if placeholder and self.environment not in DEV_ENVIRONMENTS:
            raise ValueError(
                f"PSEUDONYM_SECRET must be set in the {self.environment!r} environment"
            )
        return self


def get_settings() -> Settings:
    return Settings()
