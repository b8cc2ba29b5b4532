"""Settings of the reports service (env: DATABASE_URL, HTTP_PORT, TIP_AREA …)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from tianmen_runtime.ports import SERVICE_PORTS
from tianmen_runtime.settings import ServiceSettings


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


def get_settings() -> Settings:
    return Settings()
