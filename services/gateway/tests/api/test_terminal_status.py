"""Terminals online per jurisdiction: each member of staff sees the jurisdictions they oversee,
auditors all of them."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.entrypoints.api import build_api
from tianmen_gateway.identity.principal import Role

from . import world as w
from .conftest import SETTINGS, FakeServices, bearer


def _jurisdictions_seen_by(role: Role) -> list[str]:
    fakes = FakeServices()
    w.populate(fakes)
    app = build_api(build(SETTINGS), transport=httpx.MockTransport(fakes.handle))
    with TestClient(app) as client:
        response = client.get("/api/v1/terminal-status", headers=bearer(app, w.USERS[role]))
    assert response.status_code == 200, response.text
    return [row["jurisdiction"] for row in response.json()["jurisdictions"]]


def test_township_staff_see_their_own_township_only() -> None:
    assert _jurisdictions_seen_by(Role.TOWNSHIP_STAFF) == ["429006001"]


def test_auditors_see_every_jurisdiction() -> None:
    assert _jurisdictions_seen_by(Role.AUDITOR) == ["429006001", "420102"]
