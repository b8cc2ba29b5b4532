"""A canary reporter's name, phone and id never reach a topic, a log file or a public answer.

The tip goes the whole way (photo, submit, assign, verify, reward, an audited reveal) on a real
broker; once the pipeline has drained, every record of every topic (key, value, headers) and
every service's log file is scanned for the canary.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from PIL import Image
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import Vouched

pytestmark = pytest.mark.integration

CANARY_PHONE = "13700013700"
CANARY_NAME = "金丝雀甲乙"
CANARY_ID = "wx-openid-CANARY-7f3a"
CANARIES = (CANARY_PHONE, CANARY_NAME, CANARY_ID)


def a_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 20, 30)).save(out, format="JPEG")
    return out.getvalue()


def every_record(bootstrap_servers: str) -> list[bytes]:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers)
    topics = [t for t in admin.list_topics() if not t.startswith("__")]
    admin.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in consumer.partitions_for_topic(topic) or ()
        ]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        seen: list[bytes] = []
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for records in consumer.poll(timeout_ms=1000).values():
                for r in records:
                    headers = b"".join(k.encode() + (v or b"") for k, v in r.headers)
                    seen.append((r.key or b"") + (r.value or b"") + headers)
        return seen
    finally:
        consumer.close()


def walk(client: httpx.Client, tip_id: str) -> None:
    for path, body in [
        ("assign", {"assignee": "staff-1"}),
        ("start", {"verifier": "staff-1"}),
        ("verify", {"verifier": "staff-1", "enterprise_id": "ent-x", "major_hazard": True}),
        ("reward/pay", {"actor": "cashier"}),
    ]:
        client.post(f"/staff/tips/{tip_id}/{path}", json=body).raise_for_status()


def test_the_canary_contact_is_in_no_topic_log_or_public_answer(
    suite: Suite, bootstrap_servers: str
) -> None:
    with httpx.Client(
        base_url=suite.url("reports"), timeout=10, auth=Vouched(suite.identity_key_file)
    ) as reports:
        media = reports.post("/media", files={"file": ("c.jpg", a_photo())})
        assert media.status_code == 201, media.text
        tip = {
            "category": "unsafe_hoisting",
            "description": "塔吊超载",
            "latitude": 30.66,
            "longitude": 113.16,
            "anonymous": False,
            "media_ids": [media.json()["media_id"]],
            "contact": {"name": CANARY_NAME, "phone": CANARY_PHONE},
        }
        submitted = reports.post("/tips", json=tip, headers={"X-Reporter-Id": CANARY_ID})
        assert submitted.status_code == 201, submitted.text
        tip_id = submitted.json()["tip_id"]
        walk(reports, tip_id)
        revealed = reports.post(
            f"/staff/tips/{tip_id}/reveal", json={"actor": "chief-2", "reason": "回访"}
        )
        assert revealed.json()["contact"]["phone"] == CANARY_PHONE  # the privileged answer
        public = [
            reports.get(f"/tips/{tip_id}").text,
            reports.get(f"/tips/{tip_id}/progress").text,
            reports.get(f"/open311/v2/requests/{tip_id}.json").text,
            reports.get(
                "/statistics",
                params={"start": "2000-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"},
            ).text,
            submitted.text,
        ]
    wait_until_drained(suite)

    records = every_record(bootstrap_servers)
    tip_records = [r for r in records if tip_id.encode() in r]
    assert any(b"tip_contact_revealed" in r and b"chief-2" in r for r in tip_records)
    assert any(b"tip_verified" in r for r in tip_records)
    logs = [p.read_bytes() for p in Path(suite.log_path("reports")).parent.glob("*.log")]
    assert len(logs) >= 6
    for canary in CANARIES:
        encoded = (canary.encode(), json.dumps(canary).strip('"').encode())
        assert not any(c in r for r in records for c in encoded), f"{canary} on a topic"
        assert not any(c in log for log in logs for c in encoded), f"{canary} in a log"
        assert not any(canary in text for text in public), f"{canary} in a public answer"
