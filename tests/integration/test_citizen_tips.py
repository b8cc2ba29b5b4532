"""A citizen's tip goes through the gateway onto reports.tip, without the reporter's contact."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from kafka import KafkaConsumer
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import eventually

pytestmark = pytest.mark.integration

PHONE = "13972812345"


def tip_messages(bootstrap_servers: str, tip_id: str) -> list[tuple[dict[str, bytes], bytes]]:
    """Every record of reports.tip keyed by the tip, oldest first: (headers, value)."""
    consumer = KafkaConsumer(
        "reports.tip",
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=2000,
    )
    try:
        return [(dict(m.headers), m.value) for m in consumer if m.key == tip_id.encode()]
    finally:
        consumer.close()


def _published_tip(bootstrap_servers: str, tip_id: str) -> tuple[dict[str, bytes], bytes] | None:
    messages = tip_messages(bootstrap_servers, tip_id)
    return messages[0] if messages else None


def test_tip_is_published_without_the_reporters_contact(
    gateway: httpx.Client, bootstrap_servers: str
) -> None:
    tip = {
        "category": "night_work",
        "description": "竟陵街道工地挖掘机深夜施工,噪音很大",
        "latitude": 30.6612,
        "longitude": 113.1573,
        "anonymous": False,
        "contact": {"name": "王先生", "phone": PHONE},
    }
    key = str(uuid.uuid4())
    submitted = gateway.post("/tips", json=tip, headers={"Idempotency-Key": key})
    assert submitted.status_code == 201, submitted.text
    tip_id = submitted.json()["tip_id"]
    again = gateway.post("/tips", json=tip, headers={"Idempotency-Key": key})
    # The gateway replays the first answer to a retry with the same key.
    assert (again.status_code, again.json()["tip_id"]) == (201, tip_id)
    assert again.headers["idempotent-replayed"] == "true"

    headers, value = eventually(
        lambda: _published_tip(bootstrap_servers, tip_id), what="the tip on reports.tip"
    )
    assert headers["ce_type"] == b"tianmen.reports.tip_submitted"
    body = json.loads(value)
    assert (body["category"], body["has_contact"], body["anonymous"]) == ("night_work", True, False)
    assert PHONE not in value.decode() and "王先生" not in value.decode()
    public = gateway.get(f"/tips/{tip_id}").json()
    assert PHONE not in json.dumps(public, ensure_ascii=False)


def test_tip_outside_the_map_is_refused_naming_the_field(gateway: httpx.Client) -> None:
    tip = {
        "category": "other",
        "description": "x",
        "latitude": 95.0,
        "longitude": 113.1,
        "anonymous": True,
    }
    response = gateway.post("/tips", json=tip)
    assert response.status_code == 422
    assert "latitude" in [error["field"] for error in response.json()["errors"]]


def test_the_public_api_is_documented(suite: Suite) -> None:
    paths = httpx.get(f"{suite.url('gateway')}/openapi.json", timeout=10).json()
    expected = {
        "/api/v1/enterprises",
        "/api/v1/enterprises/{enterprise_id}",
        "/api/v1/machines",
        "/api/v1/machines/{machine_id}/terminal",
        "/api/v1/telemetry/reports",
        "/api/v1/alerts",
        "/api/v1/tips",
        "/api/v1/audit/digests",
    }
    assert expected <= set(paths["paths"])
