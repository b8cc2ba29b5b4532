"""Live alerts over SSE on the real broker: a township liaison gets their township's alerts and
not a neighbour's; reconnecting with Last-Event-ID gets what was missed, and nothing twice."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import (
    DEMO_PASSWORD,
    NIGHT_REPORT,
    eventually,
    new_machine,
    register_enterprise,
    unique_digits,
)

OWN, NEIGHBOUR = "429006001", "429006002"  # the demo township (竟陵街道) and 杨林街道


def machine_in(gateway: httpx.Client, enterprise_id: str, jurisdiction: str) -> dict[str, str]:
    body = {**new_machine(enterprise_id), "jurisdiction_code": jurisdiction}
    machine = gateway.post("/machines", json=body)
    assert machine.status_code == 201, machine.text
    machine_id, terminal_id = machine.json()["machine_id"], "1" + unique_digits(11)
    bound = gateway.put(f"/machines/{machine_id}/terminal", json={"terminal_id": terminal_id})
    assert bound.status_code == 200, bound.text
    eventually(lambda: gateway.get(f"/terminals/{terminal_id}").status_code == 200, what="binding")
    return {"machine_id": machine_id, "terminal_id": terminal_id}


def night_work(gateway: httpx.Client, machine: dict[str, str], night: str) -> dict[str, Any]:
    """Report the machine working at 23:30 that night; the alert once telemetry listed it."""
    report = {**NIGHT_REPORT, "terminal_id": machine["terminal_id"]}
    report["reported_at"] = f"{night}T23:30:00+08:00"
    sent = gateway.post("/telemetry/reports", json={"reports": [report]})
    assert sent.status_code == 202, sent.text

    def listed() -> dict[str, Any] | None:
        page = gateway.get("/alerts", params={"machine_id": machine["machine_id"]}).json()
        return next((a for a in page["items"] if a["observed_at"].startswith(night)), None)

    return eventually(listed, what=f"the alert of {night}")


@contextmanager
def listening(url: str, last_event_id: str | None = None) -> Iterator[queue.Queue[Any]]:
    """The township liaison's stream, read in a thread: ("ready", None) once it streams, then
    ("alert", (id, alert)) for each alert event."""
    got: queue.Queue[Any] = queue.Queue()
    login = {"username": "township", "password": DEMO_PASSWORD}
    token = httpx.post(f"{url}/api/v1/auth/token", json=login, timeout=10).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}  # not an httpx.Auth: those read the body
    headers |= {"Last-Event-ID": last_event_id} if last_event_id else {}
    client = httpx.Client(base_url=url, timeout=30)
    stop = threading.Event()

    def read() -> None:
        # Closing the client at the end breaks the read off: that error is the way out.
        with (
            contextlib.suppress(httpx.TransportError),
            client.stream("GET", "/api/v1/alerts/stream", headers=headers) as response,
        ):
            if response.status_code != 200:
                got.put(("refused", response.read().decode()))
                return
            fields: dict[str, str] = {}
            for line in response.iter_lines():
                if stop.is_set():
                    return
                if line.startswith(": alerts follow"):
                    got.put(("ready", None))
                elif line == "":
                    if fields.get("event") == "alert":
                        got.put(("alert", (fields["id"], json.loads(fields["data"]))))
                    fields = {}
                elif ": " in line:
                    name, value = line.split(": ", 1)
                    fields[name] = value

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert got.get(timeout=30) == ("ready", None)
        yield got
    finally:
        stop.set()
        client.close()


def next_alert(got: queue.Queue[Any]) -> tuple[str, dict[str, Any]]:
    kind, item = got.get(timeout=60)
    assert kind == "alert"
    return item  # type: ignore[no-any-return]


def test_a_township_gets_its_alerts_live_and_resumes_without_gaps_or_repeats(
    gateway: httpx.Client, suite: Suite
) -> None:
    url = suite.url("gateway")
    enterprise_id = register_enterprise(gateway)
    own = machine_in(gateway, enterprise_id, OWN)
    neighbour = machine_in(gateway, enterprise_id, NEIGHBOUR)

    with listening(url) as got:
        # One enterprise, one partition: the neighbour's alert comes first on the topic, so
        # by the time the township's own arrives, the neighbour's was read and left out.
        night_work(gateway, neighbour, "2026-05-20")
        first = night_work(gateway, own, "2026-05-21")
        last_id, alert = next_alert(got)
        assert alert["alert_id"] == first["alert_id"]
        assert alert["machine_id"] == own["machine_id"]

    missed = night_work(gateway, own, "2026-05-22")  # raised while nobody listened
    night_work(gateway, neighbour, "2026-05-23")
    with listening(url, last_id) as got:
        _, resumed = next_alert(got)
        assert resumed["alert_id"] == missed["alert_id"]  # not `first` again, nothing skipped
        latest = night_work(gateway, own, "2026-05-24")
        _, live = next_alert(got)
        assert live["alert_id"] == latest["alert_id"]  # the neighbour's 23rd was left out
