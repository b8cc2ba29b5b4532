"""Safety's stop-use order reaches the registry over the real broker: the machine registered
through the gateway's counter is suspended, the public plate (no token) says so, and lifting
the order reinstates it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from kafka import KafkaProducer
from tianmen_devkit.supervisor import Suite
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered

from tests.integration.helpers import eventually, register_enterprise, submit_registration

pytestmark = pytest.mark.integration


def publish(bootstrap_servers: str, event: DomainEvent, n: int) -> None:
    """As safety's relay would: keyed by the enterprise, in CloudEvents binary mode."""
    subject = event.enterprise_id  # type: ignore[attr-defined]
    meta = EventMeta(
        f"it-safety-{uuid.uuid4()}", "/tianmen/safety", datetime.now(UTC), subject, n, "it"
    )
    message = encode(event, meta)
    producer = KafkaProducer(
        bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=True
    )
    producer.send(message.topic, key=message.key, value=message.value, headers=message.headers)
    producer.flush()
    producer.close()


def registered_through_the_counter(gateway: httpx.Client) -> tuple[str, str, str]:
    enterprise_id = register_enterprise(gateway)
    application = submit_registration(gateway, enterprise_id)
    machine_id, application_id = application["machine_id"], application["application_id"]
    for action in ("accept", "approve"):
        decided = gateway.post(f"/applications/{application_id}/{action}", json={})
        assert decided.status_code == 200, decided.text
    number = gateway.get(f"/machines/{machine_id}").json()["registration_number"]
    return enterprise_id, machine_id, number


def test_a_stop_use_order_suspends_the_machine_and_the_public_plate_says_so(
    gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    enterprise_id, machine_id, number = registered_through_the_counter(gateway)
    public = httpx.Client(base_url=f"{suite.url('gateway')}/api/v1", timeout=10)

    def status() -> str:
        answer = public.get(f"/verify/{number}")
        assert answer.status_code == 200, answer.text
        assert set(answer.json()) == {
            "registration_number", "kind", "brand", "model", "status", "next_review_due"
        }  # fmt: skip
        return str(answer.json()["status"])

    assert status() == "registered"
    order = MachineStopUseOrdered(
        enterprise_id=enterprise_id,
        order_id=f"SO-{machine_id[:8]}",
        machine_id=machine_id,
        reason="起重力矩限制器失效",
        ordered_at=datetime.now(UTC),
    )
    publish(bootstrap_servers, order, 1)
    eventually(lambda: status() == "suspended", what="the plate to say suspended")
    lifted = MachineStopUseLifted(
        enterprise_id=enterprise_id,
        order_id=order.order_id,
        machine_id=machine_id,
        lifted_at=datetime.now(UTC),
    )
    publish(bootstrap_servers, lifted, 2)
    eventually(lambda: status() == "registered", what="the plate to say registered again")
    history = gateway.get(f"/machines/{machine_id}/file").json()["history"]
    assert [h["type"].rsplit(".", 1)[-1] for h in history][-2:] == [
        "machine_suspended",
        "machine_reinstated",
    ]
    public.close()
