"""Track points consumed from telemetry.report become evidence on the verifier's screen."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from tianmen_events.telemetry import TerminalReported
from tianmen_reports.service_layer.evidence import event_handlers
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from .conftest import NOW


def report(n: int, machine: str, latitude: float, minutes: int) -> TerminalReported:
    return TerminalReported(
        report_id=f"r{n}",
        terminal_id="13900001111",
        machine_id=machine,
        enterprise_id=f"ent-{machine}",
        reported_at=NOW + timedelta(minutes=minutes),
        latitude=latitude,
        longitude=113.1661,
        working=True,
    )


def test_the_verifier_sees_the_machines_that_passed_near_the_tip(
    client: TestClient, service: Service
) -> None:
    handlers = event_handlers()
    with unit_of_work(service.engine, service.source) as uow:
        for event in (
            report(1, "m-near", 30.6632, -15),
            report(2, "m-far", 30.6700, 0),
            report(3, "m-late", 30.6631, 180),
        ):
            [handle] = handlers.for_event(event)
            handle(event, None, uow)  # type: ignore[arg-type]
    tip = {
        "category": "night_work",
        "description": "夜间挖机",
        "latitude": 30.6631,
        "longitude": 113.1661,
        "anonymous": True,
    }
    tip_id = client.post("/tips", json=tip).json()["tip_id"]

    evidence = client.get(f"/staff/tips/{tip_id}/evidence").json()
    assert [(m["machine_id"], m["enterprise_id"]) for m in evidence] == [("m-near", "ent-m-near")]
    wider = client.get(
        f"/staff/tips/{tip_id}/evidence", params={"radius_m": 1000, "window_minutes": 240}
    ).json()
    assert [m["machine_id"] for m in wider] == ["m-late", "m-near", "m-far"]  # 0, 11, 765 m
