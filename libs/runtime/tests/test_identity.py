"""The gateway's vouching: signed identities, the services' edge refusing calls without one, and
the verified caller written into the events a command appends."""

from __future__ import annotations

import json
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from tianmen_events.safety import PointsDeducted
from tianmen_runtime import identity
from tianmen_runtime.db import make_engine, outbox
from tianmen_runtime.http import create_app
from tianmen_runtime.identity import HEADER, Actor, Unverified, sign, verify
from tianmen_runtime.identity_edge import require_identity
from tianmen_runtime.unit_of_work import unit_of_work

from .conftest import StoreUrl

NOW = datetime.now(UTC)
"""Event time only: an identity is signed at `_now()`, since it lives 60 s and a long run
imports this module minutes before a test signs."""


def _now() -> datetime:
    return datetime.now(UTC)


CLERK = Actor("zhang.wei", "city_staff")


def test_a_signed_identity_verifies_and_names_the_caller(tmp_path: Path) -> None:
    key = identity.private_key(tmp_path / "id.pem")
    assert verify(key.public_key(), sign(key, CLERK, _now())) == CLERK


@pytest.mark.parametrize(
    "token",
    [None, "", "not-a-jwt"],
)
def test_no_identity_or_garbage_is_unverified(tmp_path: Path, token: str | None) -> None:
    key = identity.private_key(tmp_path / "id.pem")
    with pytest.raises(Unverified):
        verify(key.public_key(), token)


def test_another_key_or_an_expired_identity_is_unverified(tmp_path: Path) -> None:
    key, stranger = (
        identity.private_key(tmp_path / "a.pem"),
        identity.private_key(tmp_path / "b.pem"),
    )
    with pytest.raises(Unverified):
        verify(key.public_key(), sign(stranger, CLERK, _now()))
    with pytest.raises(Unverified):
        verify(key.public_key(), sign(key, CLERK, _now() - timedelta(minutes=5)))


def test_the_key_is_made_once_private_and_a_public_only_file_verifies(tmp_path: Path) -> None:
    path = tmp_path / "var" / "identity.pem"
    key = identity.private_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = identity.private_key(path)
    assert verify(again.public_key(), sign(key, CLERK, _now())) == CLERK
    public = tmp_path / "identity.pub.pem"
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    assert verify(identity.public_key(public), sign(key, CLERK, _now())) == CLERK


def _service(tmp_path: Path) -> tuple[TestClient, ec.EllipticCurvePrivateKey]:
    key = identity.private_key(tmp_path / "id.pem")
    app = create_app("svc", ready=lambda: True)

    @app.get("/things")
    def things() -> dict[str, str | None]:
        who = identity.actor.get()
        return {"actor": who.subject if who else None}

    require_identity(app, identity.public_key(tmp_path / "id.pem"))
    return TestClient(app), key


def test_a_service_refuses_a_call_without_the_gateways_identity(tmp_path: Path) -> None:
    client, key = _service(tmp_path)
    refused = client.get("/things")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    forged = client.get(
        "/things", headers={HEADER: sign(identity.private_key(tmp_path / "x.pem"), CLERK, _now())}
    )
    assert forged.status_code == 401
    vouched = client.get("/things", headers={HEADER: sign(key, CLERK, _now())})
    assert vouched.json() == {"actor": "zhang.wei"}
    assert client.get("/healthz").status_code == 200  # probes carry no identity


def test_a_remembered_identity_is_refused_once_it_expires(tmp_path: Path) -> None:
    """The edge remembers a verified identity by its bytes, never past its `exp` (+ 5 s)."""
    client, key = _service(tmp_path)
    expires_in = 1.5
    signed_at = _now() - identity.LIFETIME - timedelta(seconds=identity.LEEWAY_S - expires_in)
    vouch = sign(key, CLERK, signed_at)
    for _ in range(2):  # the second answered from memory
        assert client.get("/things", headers={HEADER: vouch}).json() == {"actor": "zhang.wei"}
    valid_until = int((signed_at + identity.LIFETIME).timestamp()) + identity.LEEWAY_S
    time.sleep(max(0.0, valid_until - time.time()) + 0.1)
    expired = client.get("/things", headers={HEADER: vouch})
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]


@pytest.fixture
def engine(store_url: StoreUrl) -> Engine:
    return make_engine(store_url("store"))


def _append(engine: Engine, enterprise: str) -> None:
    event = PointsDeducted(
        enterprise_id=enterprise,
        violation_id="v1",
        points=5,
        balance_after=95,
        cycle_year=2026,
        rule_version="r1",
    )
    with unit_of_work(engine, "/tianmen/test") as uow:
        uow.events.append(enterprise, [event], expected_version=0, time=NOW, correlation_id="c")


def _headers(engine: Engine, enterprise: str) -> dict[str, str]:
    with engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.key == enterprise.encode())).one()
    return dict(json.loads(row.headers))


def test_a_commands_events_name_its_actor_and_a_consumers_do_not(engine: Engine) -> None:
    token = identity.actor.set(CLERK)
    try:
        _append(engine, "e-command")
    finally:
        identity.actor.reset(token)
    _append(engine, "e-derived")
    assert _headers(engine, "e-command")["ce_actor"] == "zhang.wei"
    assert _headers(engine, "e-command")["ce_actorrole"] == "city_staff"
    assert "ce_actor" not in _headers(engine, "e-derived")
