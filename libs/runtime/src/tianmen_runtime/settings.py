"""Settings every service shares; a service subclasses with its own defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read from the environment (``DATABASE_URL``, ``KAFKA_BOOTSTRAP_SERVERS``, ``HTTP_PORT``…)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    database_url: str = "sqlite:///var/service.db"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    topic_partitions: int | None = Field(
        default=None, description="Overrides every topic's default partition count"
    )
    relay_batch_size: int = 500
    consumer_batch_size: int = Field(default=500, description="Records per poll")
    consumer_transaction_size: int = Field(
        default=200, description="Records applied per database transaction (1 = one each)"
    )
    consumer_fetch_min_bytes: int = Field(
        default=1,
        description="The broker answers a worker's fetch once this many bytes are there (or "
        "`consumer_fetch_max_wait_ms` passed): more makes polls fuller and fewer",
    )
    consumer_fetch_max_wait_ms: int = Field(
        default=500, description="The longest the broker holds a fetch short of its min bytes"
    )
    create_tables: bool = Field(
        default=True,
        description="Create missing tables at start; false where Alembic migrations own the schema",
    )
    log_level: str = "INFO"
    identity_key_file: Path = Field(
        default=Path("var/identity.pem"),
        description="The gateway's identity key: its private key at the gateway, the public "
        "(or, locally, the same private) key at the services; created here if absent",
    )
    kafka_delivery_timeout_s: float = Field(
        default=5.0,
        description="A produced record is acknowledged or failed within this; must stay below "
        "the gateway's upstream timeout so that an HTTP answer is never overtaken by a retry",
    )
    consumer_instance_id: str | None = Field(
        default=None,
        description="Static group membership: a restarted worker with the same id resumes its "
        "partitions without a rebalance. Unique per running worker (e.g. the pod name)",
    )
