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
    # The worker's polls (issue 8; the README's table of waits): one transaction a poll, and
    # the broker gathers ~32 KB (~350 reports) or 50 ms before it answers a fetch, so a worker
    # that keeps up pays each poll's fixed costs (the hold's ends, the offset commit, a
    # transaction) over hundreds of reports, not a handful, for at most 50 ms more a report.
    consumer_transaction_size: int = Field(
        default=500, description="Records applied per database transaction: a whole poll"
    )
    consumer_fetch_min_bytes: int = Field(
        default=32_768, description="Bytes the broker gathers before answering a fetch"
    )
    consumer_fetch_max_wait_ms: int = Field(
        default=50, description="The longest the broker holds a fetch short of its min bytes"
    )

    def acceptance_window(self) -> AcceptanceWindow:
        return AcceptanceWindow(self.report_max_age, self.report_max_ahead)


def get_settings() -> Settings:
    return Settings()
