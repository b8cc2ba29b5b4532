"""The registry's counter end to end, on a real broker with the real registry process: import a
register, run every application kind to rejection and to approval, pledge and try to transfer,
suspend and verify publicly, then read every event back from Kafka with its key and in order."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from kafka import KafkaConsumer, TopicPartition
from tianmen_devkit.supervisor import Suite
from tianmen_events.topics import REGISTRY_APPLICATION, REGISTRY_MACHINE

from tests.integration.helpers import Vouched, eventually, new_uscc, unique_digits

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n% integration test document\n"
DOCS = {
    "registration": ["purchase_invoice", "certificate_of_conformity"],
    "annual_review": ["inspection_report"],
    "change": ["change_evidence"],
    "transfer": ["transfer_contract"],
    "deregistration": ["deregistration_statement"],
}
_requests = itertools.count(1)


@pytest.fixture
def registry(suite: Suite) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=suite.url("registry"), timeout=30, auth=Vouched(suite.identity_key_file)
    ) as client:
        yield client


def import_register(registry: httpx.Client, uscc: str, serials: list[str]) -> dict[str, Any]:
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(
        ["uscc", "enterprise_name", "kind", "brand", "model", "serial_number", "jurisdiction_code"]
    )
    for serial in serials:
        rows.writerow(
            [uscc, "天门示范土石方有限公司", "tower_crane", "中联", "TC6013", serial, "429006107"]
        )
    rows.writerow([uscc, "天门示范土石方有限公司", "spaceship", "中联", "X", "BAD", ""])
    response = registry.post("/imports/machines", content=out.getvalue().encode())
    assert response.status_code == 200, response.text
    return dict(response.json())


def apply(
    registry: httpx.Client, kind: str, enterprise_id: str, machine_id: str, **details: str
) -> str:
    file_id = registry.post(
        "/attachments", content=PDF, headers={"content-type": "application/pdf"}
    ).json()["attachment_id"]
    body = {
        "request_id": f"it-{next(_requests)}-{unique_digits(6)}",
        "kind": kind,
        "enterprise_id": enterprise_id,
        "machine_id": machine_id,
        "attachments": [{"attachment_id": file_id, "type": t} for t in DOCS[kind]],
        "details": details,
    }
    response = registry.post("/applications", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["application_id"])


def decide(registry: httpx.Client, application_id: str, outcome: str) -> dict[str, Any]:
    assert registry.post(f"/applications/{application_id}/accept", json={}).status_code == 200
    reason = "材料不全" if outcome == "reject" else ""
    response = registry.post(f"/applications/{application_id}/{outcome}", json={"reason": reason})
    assert response.status_code == 200, response.text
    return dict(response.json())


def machine(registry: httpx.Client, machine_id: str) -> dict[str, Any]:
    return dict(registry.get(f"/machines/{machine_id}").json())


def topic_records(bootstrap_servers: str, topic: str, key: str) -> list[tuple[str, int]]:
    """(ce_type, ce_sequence) of every record keyed `key`, in the order Kafka holds them: the
    whole topic is read up to its end offsets (records of one key share a partition)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        ends = consumer.end_offsets(partitions)
        found = []
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for records in consumer.poll(timeout_ms=1000).values():
                found += [_typed(r.headers) for r in records if r.key == key.encode()]
        return found
    finally:
        consumer.close()


def _typed(headers: list[tuple[str, bytes]]) -> tuple[str, int]:
    named = {name: value.decode() for name, value in headers}
    return named["ce_type"].rsplit(".", 1)[-1], int(named["ce_sequence"])


def all_records(
    bootstrap_servers: str, topic: str, key: str, count: int
) -> list[tuple[str, int]] | None:
    """The records keyed `key` once all `count` have arrived, else None (to poll)."""
    found = topic_records(bootstrap_servers, topic, key)
    return found if len(found) >= count else None


def test_register_to_deregistration_every_kind_refused_once_and_approved(
    registry: httpx.Client, bootstrap_servers: str
) -> None:
    owner_uscc, buyer_uscc = new_uscc(), new_uscc()
    serials = [f"IT{unique_digits(10)}" for _ in range(2)]
    report = import_register(registry, owner_uscc, serials)
    assert (report["created"], [r["column"] for r in report["refused"]]) == (2, ["kind"])
    assert import_register(registry, owner_uscc, serials)["created"] == 0  # a rerun creates nothing
    buyer = registry.post(
        "/enterprises", json={"uscc": buyer_uscc, "name": "天门汉江建设机械租赁有限公司"}
    )
    assert buyer.status_code == 201, buyer.text
    found = registry.get(
        "/machines/search", params={"jurisdiction_code": "429006-ST04", "limit": 500}
    ).json()["items"]
    owner = next(m["enterprise_id"] for m in found if m["serial_number"] == serials[0])
    first, second = (
        next(m["machine_id"] for m in found if m["serial_number"] == s) for s in serials
    )

    assert (
        decide(registry, apply(registry, "registration", owner, second), "reject")["stage"]
        == "rejected"
    )
    decide(registry, apply(registry, "registration", owner, first), "approve")
    for kind, details in [("annual_review", {}), ("change", {"model": "TC6013A"})]:
        decide(registry, apply(registry, kind, owner, first, **details), "reject")
        decide(registry, apply(registry, kind, owner, first, **details), "approve")

    loan = {
        "lender": "天门农商银行",
        "amount_yuan": 1200000,
        "starts_on": "2026-06-01",
        "ends_on": "2028-05-31",
    }
    mortgage_id = registry.post(f"/machines/{first}/mortgages", json=loan).json()["mortgage_id"]
    refused = registry.post(
        "/applications",
        json={
            "request_id": "it-refused",
            "kind": "transfer",
            "enterprise_id": owner,
            "machine_id": first,
            "details": {"to_enterprise_id": buyer.json()["enterprise_id"]},
        },
    )
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (409, "machine_id")
    consent = {"to_enterprise_id": buyer.json()["enterprise_id"]}
    assert (
        registry.put(
            f"/machines/{first}/mortgages/{mortgage_id}/consents", json=consent
        ).status_code
        == 200
    )
    decide(registry, apply(registry, "transfer", owner, first, **consent), "reject")
    decide(registry, apply(registry, "transfer", owner, first, **consent), "approve")
    new_owner = buyer.json()["enterprise_id"]
    assert machine(registry, first)["enterprise_id"] == new_owner

    number = machine(registry, first)["registration_number"]
    order = {"suspended": True, "reason": "起重力矩限制器失效", "order_id": "SO-IT-1"}
    assert registry.put(f"/machines/{first}/suspension", json=order).status_code == 200
    assert registry.get(f"/verify/{number}").json()["status"] == "suspended"
    decide(registry, apply(registry, "deregistration", new_owner, first), "reject")
    decide(registry, apply(registry, "deregistration", new_owner, first), "approve")
    assert registry.get(f"/verify/{number}").json()["status"] == "deregistered"

    expected = [
        "machine_registered", "registration_number_issued", "annual_review_passed",
        "machine_details_changed", "mortgage_registered", "lender_consent_recorded",
        "machine_transferred", "machine_suspended", "machine_deregistered",
    ]  # fmt: skip
    on_kafka = eventually(
        lambda: all_records(bootstrap_servers, REGISTRY_MACHINE.name, first, len(expected)),
        what="the machine's events on registry.machine",
    )
    assert [t for t, _ in on_kafka] == expected
    assert [s for _, s in on_kafka] == list(range(1, len(expected) + 1))
    assert topic_records(bootstrap_servers, REGISTRY_MACHINE.name, second) == [
        ("machine_registered", 1)
    ]
    timeline = registry.get(f"/machines/{first}/file").json()["history"]
    assert [h["type"].rsplit(".", 1)[-1] for h in timeline] == expected


def test_an_application_s_events_arrive_keyed_by_it_and_in_order(
    registry: httpx.Client, bootstrap_servers: str
) -> None:
    uscc, serial = new_uscc(), f"IT{unique_digits(10)}"
    import_register(registry, uscc, [serial])
    found = registry.get(
        "/machines/search", params={"jurisdiction_code": "429006107", "limit": 500}
    ).json()["items"]
    item = next(m for m in found if m["serial_number"] == serial)
    application_id = apply(registry, "registration", item["enterprise_id"], item["machine_id"])
    decide(registry, application_id, "approve")
    expected = [
        ("application_submitted", 1),
        ("application_accepted", 2),
        ("application_approved", 3),
    ]
    assert (
        eventually(
            lambda: all_records(bootstrap_servers, REGISTRY_APPLICATION.name, application_id, 3),
            what="the application's events",
        )
        == expected
    )
