"""What city IT watches: every service answers health, readiness and Prometheus metrics."""

from __future__ import annotations

import httpx
import pytest
from tianmen_devkit.supervisor import SERVICES, Suite

from tests.integration.helpers import (
    NIGHT_REPORT,
    DemoLogin,
    enterprise_view,
    eventually,
    register_bound_machine,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_reports_health_and_readiness(service: str, suite: Suite) -> None:
    for probe in ("/healthz", "/readyz"):
        response = httpx.get(f"{suite.url(service)}{probe}", timeout=5)
        assert response.status_code == 200, (service, probe, response.text)


def test_metrics_count_what_the_chain_did(gateway: httpx.Client, suite: Suite) -> None:
    ids = register_bound_machine(gateway)
    report = {**NIGHT_REPORT, "terminal_id": ids["terminal_id"]}
    assert gateway.post("/telemetry/reports", json={"reports": [report]}).status_code == 202
    eventually(lambda: enterprise_view(gateway, ids["enterprise_id"]), what="the chain")

    def metrics(service: str) -> str:
        # The gateway's metrics are for IT operators; the services' are on internal ports.
        url = suite.url(service)
        auth = DemoLogin(url, "operator") if service == "gateway" else None
        return httpx.get(f"{url}/metrics", timeout=5, auth=auth).text

    assert 'tianmen_alerts_raised_total{rule="night_work"}' in metrics("telemetry")
    for consumer in ("safety", "credit"):
        text = metrics(consumer)
        assert f'tianmen_events_processed_total{{consumer="{consumer}",outcome="applied"}}' in text
        assert "tianmen_consumer_lag" in text
    assert 'tianmen_events_published_total{topic="registry.enterprise"}' in metrics("registry")
    assert "tianmen_http_request_duration_seconds_bucket" in metrics("gateway")
