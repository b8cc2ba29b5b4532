"""A tip's photo reaches reports as the client sent it: the one multipart route, its own cap."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
from fastapi.testclient import TestClient

if TYPE_CHECKING:
    from .conftest import FakeServices

RECEIPT = {"media_id": "m-1", "kind": "photo", "content_type": "image/jpeg", "bytes": 3}
PHOTO = {"file": ("tip.jpg", b"\xff\xd8\xff", "image/jpeg")}


def test_the_form_reaches_reports_byte_for_byte(gateway: TestClient, fakes: FakeServices) -> None:
    fakes.answer("reports", "POST", "/media", httpx.Response(201, json=RECEIPT))
    response = gateway.post("/api/v1/media", files=PHOTO, data={"kind": "photo"})
    assert (response.status_code, response.json()["media_id"]) == (201, "m-1")
    sent = fakes.requests_to("reports")[0]
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b"\xff\xd8\xff" in sent.content and b'name="kind"' in sent.content


def test_json_is_refused_here_and_forms_elsewhere(gateway: TestClient, fakes: FakeServices) -> None:
    as_json = gateway.post("/api/v1/media", json={"file": "x"})
    as_form = gateway.post("/api/v1/tips", files=PHOTO)
    assert (as_json.status_code, as_form.status_code) == (415, 415)
    assert fakes.seen == []


def test_reports_refusal_of_a_bad_photo_passes_through(
    gateway: TestClient, fakes: FakeServices
) -> None:
    problem = fakes.problem(422, "file")
    fakes.answer("reports", "POST", "/media", problem)
    response = gateway.post("/api/v1/media", files=PHOTO)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
