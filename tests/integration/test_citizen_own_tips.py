"""A citizen reads the tips they sent and no one else's."""

from __future__ import annotations

import uuid

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import DemoLogin, Vouched

pytestmark = pytest.mark.integration

TIP = {
    "category": "night_work",
    "description": "工地晚上十一点还有挖机作业",
    "latitude": 30.6531,
    "longitude": 113.1661,
    "anonymous": True,
}


def test_a_citizen_reads_their_own_tip_and_not_another_citizens(
    gateway: httpx.Client, suite: Suite
) -> None:
    url = suite.url("gateway")
    with httpx.Client(base_url=f"{url}/api/v1", auth=DemoLogin(url, "citizen")) as citizen:
        sent = citizen.post("/tips", json=TIP, headers={"Idempotency-Key": str(uuid.uuid4())})
        assert sent.status_code == 201, sent.text
        own = citizen.get(f"/tips/{sent.json()['tip_id']}")
        assert own.status_code == 200, own.text
        # Another citizen's tip, as the gateway would have passed it on for them.
        auth = Vouched(suite.identity_key_file, subject="another-citizen", role="citizen")
        with httpx.Client(base_url=suite.url("reports"), auth=auth) as reports:
            theirs = reports.post("/tips", json=TIP, headers={"X-Reporter-Id": "another-citizen"})
        assert theirs.status_code == 201, theirs.text
        refused = citizen.get(f"/tips/{theirs.json()['tip_id']}")
        assert refused.status_code == 404
        assert refused.json()["title"]
    assert gateway.get(f"/tips/{theirs.json()['tip_id']}").status_code == 200  # an auditor
