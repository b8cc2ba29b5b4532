"""An Open311 GeoReport v2 client through the gateway, on the real suite: it lists the services
(no token), uploads a photo and posts a request form-encoded (as a citizen), follows its status
while staff verify the tip at the desk, and sees it closed with a status note."""

from __future__ import annotations

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import DemoLogin, Vouched, register_enterprise
from tests.integration.test_citizen_tips import tip_messages
from tests.integration.test_tips_canary import a_photo

pytestmark = pytest.mark.integration

PHONE = "13972819311"
FORM = {
    "service_code": "unsafe_hoisting",
    "lat": "30.6533",
    "long": "113.1664",
    "description": "塔吊吊装时无人指挥,吊物从人行道上方经过",
    "first_name": "五",
    "last_name": "赵",
    "phone": PHONE,
}


def status_of(client: httpx.Client, request_id: str) -> dict[str, object]:
    answer = client.get(f"/open311/v2/requests/{request_id}.json")
    assert answer.status_code == 200, answer.text
    [status] = answer.json()
    assert isinstance(status, dict)
    return status


def test_an_open311_client_posts_a_request_and_follows_it_to_closed(
    suite: Suite, gateway: httpx.Client, bootstrap_servers: str
) -> None:
    url = suite.url("gateway")
    services = httpx.get(f"{url}/open311/v2/services.json", timeout=10)  # no token
    assert services.status_code == 200, services.text
    assert "unsafe_hoisting" in [s["service_code"] for s in services.json()]

    with httpx.Client(base_url=url, timeout=10, auth=DemoLogin(url, "citizen")) as citizen:
        photo = citizen.post("/api/v1/media", files={"file": ("crane.jpg", a_photo())})
        assert photo.status_code == 201, photo.text
        media_url = f"{suite.url('reports')}/staff/media/{photo.json()['media_id']}"
        posted = citizen.post("/open311/v2/requests.json", data={**FORM, "media_url": media_url})
        assert posted.status_code == 201, posted.text
        [receipt] = posted.json()
        request_id = receipt["service_request_id"]
        opened = status_of(citizen, request_id)
        assert (opened["status"], opened["status_notes"]) == ("open", "submitted")
        assert (opened["lat"], opened["long"], opened["media_url"]) == (
            30.6533,
            113.1664,
            media_url,
        )
        assert PHONE not in str(opened) and "赵" not in str(opened)

    wait_until_drained(suite)
    messages = tip_messages(bootstrap_servers, request_id)
    assert messages[0][0]["ce_type"] == b"tianmen.reports.tip_submitted"
    for _, value in messages:  # the request is submitted and routed: a pseudonym only
        assert PHONE.encode() not in value and b"citizen" not in value

    enterprise_id = register_enterprise(gateway)
    desk = Vouched(suite.identity_key_file, "desk-1", "city_staff")
    with httpx.Client(base_url=suite.url("reports"), timeout=10, auth=desk) as reports:
        assert reports.get(f"/staff/media/{photo.json()['media_id']}").status_code == 200
        verify = {"verifier": "desk-1", "enterprise_id": enterprise_id, "major_hazard": True}
        for step, body in [
            ("assign", {"assignee": "desk-1"}),
            ("start", {"verifier": "desk-1"}),
            ("verify", verify),
        ]:
            reports.post(f"/staff/tips/{request_id}/{step}", json=body).raise_for_status()
    wait_until_drained(suite)

    with httpx.Client(base_url=url, timeout=10, auth=DemoLogin(url, "citizen")) as citizen:
        closed = status_of(citizen, request_id)
        listed = citizen.get("/open311/v2/requests.json")
    assert request_id in [r["service_request_id"] for r in listed.json()]
    assert (closed["status"], closed["status_notes"]) == ("closed", "verified")
    assert closed["updated_datetime"] != closed["requested_datetime"]
    published = [h["ce_type"] for h, _ in tip_messages(bootstrap_servers, request_id)]
    assert b"tianmen.reports.tip_verified" in published

    # staff read it through the gateway too; an enterprise may not, nor a client without a token
    path = f"/open311/v2/requests/{request_id}.json"
    for user, wanted in [("city", 200), ("enterprise", 403)]:
        with httpx.Client(base_url=url, timeout=10, auth=DemoLogin(url, user)) as caller:
            assert caller.get(path).status_code == wanted, user
    assert httpx.get(f"{url}{path}", timeout=10).status_code == 401
