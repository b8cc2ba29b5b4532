"""Through the gateway to the real safety and credit apps: an enterprise's long history pages
through once, and its view stays the same size however long that history grows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from tianmen_credit import bootstrap as credit
from tianmen_credit.config import Settings as CreditSettings
from tianmen_events import EventMeta, derive_id
from tianmen_events.telemetry import AlertRaised
from tianmen_events.topics import SAFETY_CASE
from tianmen_gateway.entrypoints.api import build_api
from tianmen_runtime.db import outbox
from tianmen_runtime.projection import apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, every_page, record_of
from tianmen_safety import bootstrap as safety
from tianmen_safety.config import Settings as SafetySettings
from tianmen_safety.entrypoints.api import build_api as safety_api

from . import contracts as c
from .conftest import authenticate_as_default, conforms

if TYPE_CHECKING:
    from .conftest import FakeServices

TODAY = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
MANY = 150


class Enterprise:
    """Enterprise e-1 in real safety and credit stores; the registry is a fake."""

    def __init__(self, folder: Path) -> None:
        self.safety = safety.build(SafetySettings(database_url=f"sqlite:///{folder}/safety.db"))
        self.credit = credit.build(CreditSettings(database_url=f"sqlite:///{folder}/credit.db"))
        self.alerts = 0

    def night_work(self, times: int) -> None:
        """`times` night-work alerts reach safety; what safety publishes reaches its own desk
        (`safety.case`, where the violations are recorded) and credit (`safety.enterprise`)."""
        for _ in range(times):
            self.alerts += 1
            assert _apply(self.safety, _alert_record(self.alerts)) == "applied"
        while rows := self._published():
            for row in rows:
                headers = [(k, v.encode()) for k, v in json.loads(row.headers)]
                record = Record(row.topic, 0, row.position, row.key, row.value, headers)
                if row.topic == SAFETY_CASE.name:
                    assert _apply(self.safety, record) == "applied"
                else:
                    assert _apply(self.credit, record) in (
                        "applied",
                        "ignored",
                    )  # credit skips some

    def _published(self) -> list[Any]:
        with self.safety.engine.begin() as conn:
            rows = conn.execute(
                select(outbox).where(outbox.c.published.is_(False)).order_by(outbox.c.position)
            ).all()
            conn.execute(outbox.update().values(published=True))
        return list(rows)

    def apps(self) -> dict[str, FastAPI]:
        return {
            "safety.test": safety_api(self.safety, clock=lambda: TODAY),
            "credit.test": self.credit.build_api(self.credit),
        }


def _alert_record(n: int) -> Record:
    alert = AlertRaised(
        alert_id=f"alert-{n}",
        enterprise_id="e-1",
        machine_id="m-1",
        terminal_id="13912345678",
        rule="night_work",
        rule_version="night-work/1",
        observed_at=c.NIGHT - timedelta(days=120) + timedelta(days=n),  # all in 2026
        latitude=30.66,
        longitude=113.17,
        detail="working at 23:30",
    )
    meta = EventMeta(
        id=derive_id("/tianmen/telemetry", alert.alert_id),
        source="/tianmen/telemetry",
        time=alert.observed_at,
        subject="e-1",
        sequence=n,
        correlation_id=f"corr-{n}",
    )
    return record_of(alert, meta, offset=n)


def _apply(service: Service, record: Record) -> str:
    assert service.subscription is not None
    return apply_record(service.engine, service.subscription, record)


@pytest.fixture
def enterprise(tmp_path: Path) -> Enterprise:
    return Enterprise(tmp_path)


@pytest.fixture
def gateway_to_real(
    service: Service, fakes: FakeServices, enterprise: Enterprise
) -> Iterator[TestClient]:
    fakes.answer("registry", "GET", "/enterprises/e-1", c.body(c.ENTERPRISE))
    real = {host: httpx.ASGITransport(app) for host, app in enterprise.apps().items()}

    async def route(request: httpx.Request) -> httpx.Response:
        transport = real.get(request.url.host)
        if transport is None:
            return await fakes.handle(request)
        return await transport.handle_async_request(request)

    app = build_api(service, transport=httpx.MockTransport(route))
    with TestClient(app) as client:
        client.event_hooks = {
            "request": [lambda request: authenticate_as_default(app, request)],
            "response": [lambda response: conforms(app, response)],
        }
        yield client


def test_many_violations_page_through_once_each_and_the_view_stays_the_same_size(
    gateway_to_real: TestClient, enterprise: Enterprise
) -> None:
    enterprise.night_work(1)
    young = gateway_to_real.get("/api/v1/enterprises/e-1")
    enterprise.night_work(MANY - 1)
    aged = gateway_to_real.get("/api/v1/enterprises/e-1")
    view = aged.json()
    assert (view["safety"]["violation_count"], view["safety"]["balance"]) == (MANY, 0)
    assert c.shape(view) == c.shape(young.json())  # the same fields, no list grew
    assert len(aged.content) < 1.1 * len(young.content)

    violations = every_page(gateway_to_real, view["links"]["violations"], limit=13)
    sources = [v["source_event_id"] for v in violations]
    assert len(sources) == len(set(sources)) == MANY
    assert sources[0] == derive_id("/tianmen/telemetry", "alert-1")
    deductions = every_page(gateway_to_real, view["links"]["deductions"], limit=40)
    assert len({d["event_id"] for d in deductions}) == view["safety"]["deduction_count"]

    history = every_page(gateway_to_real, view["links"]["credit_history"], limit=7)
    assert len({h["event_id"] for h in history}) == view["credit"]["change_count"] == len(history)
    assert history[-1] == view["credit"]["latest_change"]


def test_a_cursor_the_list_did_not_issue_is_refused_naming_cursor(
    gateway_to_real: TestClient, enterprise: Enterprise
) -> None:
    enterprise.night_work(3)
    link = "/api/v1/enterprises/e-1/safety/violations"
    issued = gateway_to_real.get(link, params={"limit": 1}).json()["next_cursor"]
    response = gateway_to_real.get(link, params={"cursor": issued[:-2]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]
