"""The JT/T 808 server's settings, from `JT808_*` environment variables."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, BeforeValidator, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tianmen_telemetry.jt808.items import CUSTOM, ENGINE_HOURS, ENGINE_NUMBER, ItemIds
from tianmen_telemetry.jt808.session import Jt808Settings

DEV_SECRET = "tianmen-dev-only"  # noqa: S105 - a placeholder, refused outside development
DEV_ENVIRONMENTS = frozenset({"local", "test"})


def _item_id(value: object) -> object:
    """`0xE1` or `225`; an empty value: the item is not read."""
    if isinstance(value, str):
        return None if value.strip() in ("", "none") else int(value, 0)
    return value


CustomItem = Annotated[int | None, BeforeValidator(_item_id)]


class Jt808Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JT808_", extra="ignore", populate_by_name=True)

    environment: str = Field(
        default="local",
        validation_alias=AliasChoices("JT808_ENVIRONMENT", "ENVIRONMENT"),
        description="local | test | production; the development secret is refused outside the first two",
    )
    host: str = "127.0.0.1"
    port: int = 8808
    metrics_port: int = 9808  # /metrics of the standalone process
    secret: SecretStr = SecretStr(DEV_SECRET)
    idle_timeout: float = 180.0
    max_connections: int = 10_000
    text_timeout: float = 10.0
    pending_days: float = Field(
        default=7.0,
        gt=0,
        description="a stop-use text owed to an offline terminal is sent at its login this long",
    )
    drain_seconds: float = Field(
        default=10.0,
        ge=0,
        description="on SIGTERM, how long the reports in flight are answered before hanging up",
    )
    processes: int = Field(
        default=1,
        ge=1,
        description="server processes sharing the port (SO_REUSEPORT); each takes about a core",
    )
    engine_hours_item: CustomItem = Field(
        default=ENGINE_HOURS,
        description="custom location item (0xE1-0xFF) of the engine hours, DWORD in 1/10 h",
    )
    engine_number_item: CustomItem = Field(
        default=ENGINE_NUMBER,
        description="custom location item (0xE1-0xFF) of the engine number, STRING (GBK)",
    )

    @model_validator(mode="after")
    def _custom_items(self) -> Jt808Config:
        ids = [i for i in (self.engine_hours_item, self.engine_number_item) if i is not None]
        if any(i not in CUSTOM for i in ids):
            raise ValueError(
                "JT808_ENGINE_*_ITEM: a custom item id is 0xE1-0xFF (0xE0 is the custom length)"
            )
        if len(set(ids)) < len(ids):
            raise ValueError("JT808_ENGINE_HOURS_ITEM and JT808_ENGINE_NUMBER_ITEM differ")
        return self

    def server_settings(self) -> Jt808Settings:
        """Refuses the development secret outside development: auth codes derive from it."""
        secret = self.secret.get_secret_value()
        if secret == DEV_SECRET and self.environment not in DEV_ENVIRONMENTS:
            raise ValueError(f"JT808_SECRET must be set in the {self.environment!r} environment")
        if self.processes > 1 and self.port == 0:
            raise ValueError("JT808_PORT must be fixed when JT808_PROCESSES > 1 (they share it)")
        return Jt808Settings(
            secret=secret.encode(),
            idle_timeout=self.idle_timeout,
            max_connections=self.max_connections,
            text_timeout=self.text_timeout,
            items=ItemIds(self.engine_hours_item, self.engine_number_item),
        )
