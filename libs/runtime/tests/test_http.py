from typing import Annotated

from fastapi import Header
from fastapi.testclient import TestClient
from tianmen_events.errors import Conflict
from tianmen_runtime.http import create_app


def _client() -> TestClient:
    app = create_app("test", ready=lambda: False, digest=lambda: "d1g3st")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("disk on fire")

    @app.get("/taken")
    def taken() -> None:
        raise Conflict("already registered", field="uscc")

    @app.get("/keyed")
    def keyed(idempotency_key: Annotated[str, Header(min_length=8)]) -> None:
        return None

    return TestClient(app, raise_server_exceptions=False)


def test_unexpected_error_is_a_problem_without_internals() -> None:
    response = _client().get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "disk on fire" not in response.text


def test_domain_refusal_names_its_field() -> None:
    response = _client().get("/taken")
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "uscc", "message": "already registered"}]


def test_header_errors_name_the_header_itself() -> None:
    response = _client().get("/keyed", headers={"idempotency-key": "short"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "idempotency-key"


def test_a_well_formed_correlation_id_is_kept_and_anything_else_replaced() -> None:
    client = _client()
    kept = client.get("/healthz", headers={"x-correlation-id": "req-42:a.b"})
    assert kept.headers["x-correlation-id"] == "req-42:a.b"
    for offered in ("x" * 65, "bad id with spaces", "<script>"):
        replaced = client.get("/healthz", headers={"x-correlation-id": offered})
        assert replaced.headers["x-correlation-id"] != offered


def test_readiness_and_digest() -> None:
    client = _client()
    assert client.get("/readyz").status_code == 503
    assert client.get("/digest").json() == {"digest": "d1g3st"}


def test_a_locked_or_stopped_store_is_a_503_to_retry_not_a_500() -> None:
    from sqlalchemy.exc import OperationalError

    app = create_app("test", ready=lambda: True)

    @app.post("/things")
    def add() -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    response = TestClient(app, raise_server_exceptions=False).post("/things")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "nothing was applied" in response.json()["detail"]
