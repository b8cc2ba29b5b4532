"""GET /api/v1/alerts/stream with a canned feed: who gets which alert, ids, resuming, limits.
(tests/integration/test_alert_stream.py runs it on the real broker.)"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tianmen_events.telemetry import AlertRaised
from tianmen_gateway.adapters.alert_feed import Raised, format_position, parse_position
from tianmen_gateway.bootstrap import build
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity.principal import Role

from . import contracts as c
from . import world as w
from .conftest import SETTINGS, CannedFeed, FakeServices, bearer, conforms

OWN, NEIGHBOUR = "429006001", "429006002"  # 竟陵街道, 杨林街道 (both under 429006-ST01)


def raised(alert_id: str, jurisdiction: str | None, offset: int) -> Raised:
    body = {
        **c.body(c.ALERT),
        "alert_id": alert_id,
        "enterprise_id": "e-far",
        "machine_id": "m-far",
    }
    alert = AlertRaised.model_validate({**body, "jurisdiction": jurisdiction})
    return Raised(alert, format_position({0: offset + 1, 1: 4}))


def stream(feed: CannedFeed, role: Role, **headers: str) -> httpx.Response:
    fakes = FakeServices()
    w.populate(fakes)
    app = build_api(build(SETTINGS), transport=httpx.MockTransport(fakes.handle), feeds=feed)
    with TestClient(app) as client:
        client.event_hooks = {"response": [lambda response: conforms(app, response)]}
        auth = bearer(app, w.USERS[role])
        response: httpx.Response = client.get("/api/v1/alerts/stream", headers={**auth, **headers})
        return response


def events(response: httpx.Response) -> list[dict[str, Any]]:
    found = []
    for block in response.text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if fields.get("event") == "alert":
            found.append({"id": fields["id"], "alert": json.loads(fields["data"])})
    return found


def feed_of_both() -> CannedFeed:
    return CannedFeed([raised("a-own", OWN, 0), raised("a-neighbour", NEIGHBOUR, 1)])


def test_a_township_gets_its_own_alerts_and_not_a_neighbours() -> None:
    response = stream(feed_of_both(), Role.TOWNSHIP_STAFF)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    got = events(response)
    assert [e["alert"]["alert_id"] for e in got] == ["a-own"]
    assert parse_position(got[0]["id"]) == {0: 1, 1: 4}


@pytest.mark.parametrize("role", [Role.COUNTY_STAFF, Role.CITY_STAFF, Role.AUDITOR])
def test_the_station_above_the_city_and_auditors_get_both(role: Role) -> None:
    got = events(stream(feed_of_both(), role))
    assert [e["alert"]["alert_id"] for e in got] == ["a-own", "a-neighbour"]


def test_an_alert_without_jurisdiction_is_placed_by_its_machine_in_the_registry() -> None:
    # m-far's registry view has the contracts' sample jurisdiction, the city: not a township's.
    alert = raised("a-far", None, 0)
    assert events(stream(CannedFeed([alert]), Role.TOWNSHIP_STAFF)) == []
    assert len(events(stream(CannedFeed([alert]), Role.CITY_STAFF))) == 1


def test_reconnecting_resumes_the_feed_from_last_event_id() -> None:
    feed = CannedFeed()
    response = stream(feed, Role.CITY_STAFF, **{"Last-Event-ID": "0:7,1:4"})
    assert response.status_code == 200
    assert feed.starts == [{0: 7, 1: 4}]
    assert feed.closed == 1


def test_a_last_event_id_the_stream_did_not_issue_starts_from_now_and_says_so() -> None:
    feed = CannedFeed()
    response = stream(feed, Role.CITY_STAFF, **{"Last-Event-ID": "seven"})
    assert response.status_code == 200
    assert feed.starts == [None]
    assert ": alerts follow; Last-Event-ID not issued by this stream" in response.text


def test_over_the_connection_limit_is_503_with_retry_after() -> None:
    app = build_api(
        build(SETTINGS.model_copy(update={"alert_stream_connections": 0})), feeds=CannedFeed()
    )
    with TestClient(app) as client:
        auth = bearer(app, w.USERS[Role.CITY_STAFF])
        response = client.get("/api/v1/alerts/stream", headers=auth)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"


def test_roles_that_read_no_alerts_are_refused() -> None:
    for role in (Role.CITIZEN, Role.OPERATOR, Role.TERMINAL_PLATFORM):
        assert stream(CannedFeed(), role).status_code == 403
