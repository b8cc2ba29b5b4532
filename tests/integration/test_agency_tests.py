"""A testing agency files a third-party test through the gateway over the real broker: the
docket event names the agency and its user as the filer; the agency reads it back, a second
agency sees it neither by id nor in its list, and cannot file under the first one's name."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.faults import read_topic
from tests.integration.helpers import DemoLogin, eventually
from tests.integration.test_registry_stop_use import registered_through_the_counter
from tests.integration.test_safety_inspections import a_test

pytestmark = pytest.mark.integration


def _recorded(bootstrap_servers: str, test_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The docket's `ThirdPartyTestRecorded` of `test_id`: (its actor header, its payload)."""
    found = []
    for record in read_topic(bootstrap_servers, "safety.case"):
        headers = {k: v.decode() for k, v in record.headers}
        payload = json.loads(record.value)
        if payload.get("test_id") == test_id and headers["ce_type"].endswith("test_recorded"):
            found.append((headers.get("ce_actor", ""), payload))
    return found


def _listed(client: httpx.Client) -> set[str]:
    answer = client.get("/inspections", params={"kind": "third_party", "limit": 200})
    assert answer.status_code == 200, answer.text
    return {item["inspection_id"] for item in answer.json()["items"]}


def test_an_agency_files_its_test_and_another_agency_cannot_see_it(
    gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    enterprise_id, machine_id, _ = registered_through_the_counter(gateway)
    test = a_test(enterprise_id, machine_id, "lab-1", datetime.now(UTC), days=(-2, 363))
    url = suite.url("gateway")
    lab = httpx.Client(base_url=f"{url}/api/v1", auth=DemoLogin(url, "lab"), timeout=10)
    lab2 = httpx.Client(base_url=f"{url}/api/v1", auth=DemoLogin(url, "lab2"), timeout=10)
    with lab, lab2:
        posing = lab2.post("/inspections/third-party-tests", json=test)
        assert posing.status_code == 403 and "agency" in posing.text
        filed = lab.post("/inspections/third-party-tests", json=test)
        assert filed.status_code == 202, filed.text
        test_id = filed.json()["id"]
        assert filed.json()["actor"] == "lab"

        def applied() -> httpx.Response | None:
            answer = lab.get(f"/inspections/{test_id}")
            return answer if answer.status_code == 200 else None

        own = eventually(applied, what="the test, applied")
        assert (own.json()["agency"], own.json()["recorded_by"]) == ("lab-1", "lab")
        wait_until_drained(suite)
        assert test_id in _listed(lab)
        assert lab2.get(f"/inspections/{test_id}").status_code == 404
        assert test_id not in _listed(lab2)
    assert gateway.get(f"/inspections/{test_id}").json()["state"] == "valid"  # an auditor
    [(actor, payload)] = _recorded(bootstrap_servers, test_id)
    assert (actor, payload["agency"], payload["actor"]) == ("lab", "lab-1", "lab")
