"""Who gave a command is in its event on Kafka; a service's own port answers only what the
gateway vouches for."""

from __future__ import annotations

import httpx
import pytest
from kafka import KafkaConsumer
from tianmen_devkit.supervisor import SERVICES, Suite
from tianmen_events import derive_id

from tests.integration.helpers import (
    Vouched,
    eventually,
    new_machine,
    new_uscc,
    register_enterprise,
)

pytestmark = pytest.mark.integration


def _headers_of(bootstrap_servers: str, topic: str, subject: str) -> dict[str, str] | None:
    reader = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=3000,
    )
    try:
        for record in reader:
            headers = {k: v.decode() for k, v in record.headers}
            if headers.get("ce_subject") == subject:
                return headers
        return None
    finally:
        reader.close()


def test_a_registry_command_names_the_staff_user_who_gave_it(
    gateway: httpx.Client, bootstrap_servers: str
) -> None:
    enterprise_id = register_enterprise(gateway)  # as the demo city staff user, `city`
    machine = gateway.post("/machines", json=new_machine(enterprise_id))
    assert machine.status_code == 201, machine.text

    def headers(topic: str, subject: str) -> dict[str, str] | None:
        return _headers_of(bootstrap_servers, topic, subject)

    registered = eventually(
        lambda: headers("registry.enterprise", enterprise_id), what="the event on Kafka"
    )
    assert (registered["ce_actor"], registered["ce_actorrole"]) == ("city", "city_staff")
    machine_id = machine.json()["machine_id"]
    added = eventually(lambda: headers("registry.machine", machine_id), what="the machine event")
    assert added["ce_actor"] == "city"


def test_a_vouched_call_straight_to_the_registry_names_that_caller(
    suite: Suite, bootstrap_servers: str
) -> None:
    auth = Vouched(suite.identity_key_file, subject="li.na", role="county_staff")
    uscc = new_uscc()
    with httpx.Client(base_url=suite.url("registry"), timeout=30, auth=auth) as registry:
        created = registry.post("/enterprises", json={"uscc": uscc, "name": "天门直连测试有限公司"})
    assert created.status_code == 201, created.text
    enterprise_id = created.json()["enterprise_id"]
    found = eventually(
        lambda: _headers_of(bootstrap_servers, "registry.enterprise", enterprise_id),
        what="the event on Kafka",
    )
    assert found["ce_actor"] == "li.na"


@pytest.mark.parametrize("service", [s for s in SERVICES if s != "gateway"])
def test_a_service_port_without_the_gateways_identity_is_401_and_changes_nothing(
    service: str, suite: Suite, tmp_path_factory: pytest.TempPathFactory
) -> None:
    url = suite.url(service)
    assert httpx.get(f"{url}/openapi.json", timeout=10).status_code == 401
    assert httpx.get(f"{url}/readyz", timeout=10).status_code == 200  # probes stay open
    stranger = Vouched(tmp_path_factory.mktemp("stranger") / "key.pem")  # not the gateway's key
    assert httpx.get(f"{url}/openapi.json", timeout=10, auth=stranger).status_code == 401


def test_an_unvouched_registration_writes_nothing(suite: Suite, gateway: httpx.Client) -> None:
    uscc = new_uscc()
    refused = httpx.post(
        f"{suite.url('registry')}/enterprises", json={"uscc": uscc, "name": "无凭据"}, timeout=10
    )
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    # The registry answers from its own store, written before it answers: nothing to wait for.
    assert gateway.get(f"/enterprises/{derive_id('enterprise', uscc)}").status_code == 404
