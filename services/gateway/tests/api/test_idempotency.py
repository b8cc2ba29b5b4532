"""A POST retried with the same Idempotency-Key has one effect; keys are each caller's own."""

from __future__ import annotations

import asyncio

import httpx
from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity.demo_users import DemoUser
from tianmen_gateway.identity.principal import Role

from . import contracts as c
from .conftest import SETTINGS, FakeServices, bearer

TIP = c.TIP_IN
ALICE = DemoUser("alice", Role.CITIZEN)
BOB = DemoUser("bob", Role.CITIZEN)


def post_tip(
    gateway: TestClient, user: DemoUser, key: str, body: dict[str, object] = TIP
) -> httpx.Response:
    headers = {**bearer(gateway.app, user), "Idempotency-Key": key}  # type: ignore[arg-type]
    response: httpx.Response = gateway.post("/api/v1/tips", json=body, headers=headers)
    return response


def test_a_retry_has_one_effect_and_gets_the_first_answer(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "POST", "/tips", httpx.Response(201, json=c.body(c.RECEIPT)))
    first = post_tip(gateway, ALICE, "k-1")
    again = post_tip(gateway, ALICE, "k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(fakes.requests_to("reports")) == 1


def test_the_same_key_from_two_callers_is_two_requests(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "POST", "/tips", httpx.Response(201, json=c.body(c.RECEIPT)))
    post_tip(gateway, ALICE, "k-1")
    post_tip(gateway, BOB, "k-1")
    alice, bob = (r.headers["idempotency-key"] for r in fakes.requests_to("reports"))
    assert alice != bob  # reports derives the tip id from the key: each caller gets their own
    assert "k-1" not in (alice, bob)


def test_a_key_reused_with_another_body_is_refused_naming_the_header(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "POST", "/tips", httpx.Response(201, json=c.body(c.RECEIPT)))
    post_tip(gateway, ALICE, "k-1")
    other = post_tip(gateway, ALICE, "k-1", {**TIP, "description": "另一处"})
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert len(fakes.requests_to("reports")) == 1


def test_after_a_refusal_the_key_is_free_for_a_corrected_retry(
    gateway: TestClient, fakes: FakeServices
) -> None:
    fakes.answer("reports", "POST", "/tips", FakeServices.problem(422, "latitude"))
    assert post_tip(gateway, ALICE, "k-2").status_code == 422
    fakes.answer("reports", "POST", "/tips", httpx.Response(201, json=c.body(c.RECEIPT)))
    assert post_tip(gateway, ALICE, "k-2").status_code == 201
    assert len(fakes.requests_to("reports")) == 2


def test_a_retry_while_the_first_still_runs_is_told_to_wait(
    gateway: TestClient, fakes: FakeServices
) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    answers: list[httpx.Response] = []

    async def slow(_: httpx.Request) -> httpx.Response:
        arrived.set()
        await release.wait()
        return httpx.Response(201, json=c.body(c.RECEIPT))

    fakes.answer("reports", "POST", "/tips", slow)
    portal = gateway.portal
    assert portal is not None  # the app's event loop, running while the client is open
    first = portal.start_task_soon(lambda: asyncio.to_thread(post_tip, gateway, ALICE, "k-3"))
    portal.call(arrived.wait)
    answers.append(post_tip(gateway, ALICE, "k-3"))
    portal.call(release.set)
    answers.append(first.result(timeout=10))
    assert [a.status_code for a in answers] == [409, 201]
    assert answers[0].headers["retry-after"] == "1"
    assert len(fakes.requests_to("reports")) == 1


def test_a_photo_url_of_elsewhere_is_refused_and_nothing_reaches_reports(
    gateway: TestClient, fakes: FakeServices
) -> None:
    body = {**TIP, "photo_urls": ["http://169.254.169.254/latest/meta-data/"]}
    refused = post_tip(gateway, ALICE, "k-photo", body)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == ["photo_urls.0"]
    assert fakes.requests_to("reports") == []


def test_a_photo_url_of_the_suites_media_store_is_forwarded(fakes: FakeServices) -> None:
    store = "https://media.tianmen.gov.cn/tips"
    settings = SETTINGS.model_copy(update={"media_store_url": store})
    fakes.answer("reports", "POST", "/tips", httpx.Response(201, json=c.body(c.RECEIPT)))
    app = build_api(build(settings), transport=httpx.MockTransport(fakes.handle))
    with TestClient(app) as client:
        own = post_tip(client, ALICE, "k-own", {**TIP, "photo_urls": [f"{store}/p-1.jpg"]})
        lookalike = f"{store}.attacker.example/p.jpg"
        other = post_tip(client, ALICE, "k-other", {**TIP, "photo_urls": [lookalike]})
    assert own.status_code == 201
    assert other.status_code == 422
    assert len(fakes.requests_to("reports")) == 1
