"""Telemetry's rules through the real broker: each raises the right alert once, with its
evidence; its lawful twin raises nothing (counted only once the pipeline has drained)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import (
    Vouched,
    bind_terminal,
    eventually,
    every_page,
    new_machine,
    register_bound_machine,
    register_enterprise,
    unique_digits,
)

pytestmark = pytest.mark.integration

SITE = {"latitude": 30.6531, "longitude": 113.1661}
FAR = {"latitude": 30.69, "longitude": 113.20}  # 5.2 km away
MORNING = datetime.fromisoformat("2026-05-12T07:00:00+08:00")


def _report(terminal_id: str, at: datetime, working: bool = True, **where: float) -> dict[str, Any]:
    position = where or SITE
    return {
        "terminal_id": terminal_id,
        "reported_at": at.isoformat(),
        "working": working,
        **position,
    }


def _send(gateway: httpx.Client, *reports: dict[str, Any]) -> None:
    response = gateway.post("/telemetry/reports", json={"reports": list(reports)})
    assert response.status_code == 202, response.text


def _alerts(gateway: httpx.Client, machine_id: str) -> list[dict[str, Any]]:
    return every_page(gateway, f"/alerts?machine_id={machine_id}")


def _one_alert(gateway: httpx.Client, suite: Suite, machine_id: str, rule: str) -> dict[str, Any]:
    eventually(lambda: _alerts(gateway, machine_id) or None, what=f"the {rule} alert")
    wait_until_drained(suite)
    [alert] = _alerts(gateway, machine_id)
    assert alert["rule"] == rule
    return alert


def _none_after_drain(gateway: httpx.Client, suite: Suite, machine_id: str) -> None:
    wait_until_drained(suite)
    assert _alerts(gateway, machine_id) == []


def _violations(gateway: httpx.Client, enterprise_id: str) -> list[dict[str, Any]]:
    view = gateway.get(f"/enterprises/{enterprise_id}").json()
    return every_page(gateway, view["links"]["violations"])


def test_working_over_four_hours_without_a_break_raises_one_alert(
    gateway: httpx.Client, suite: Suite
) -> None:
    ids, twin = register_bound_machine(gateway), register_bound_machine(gateway)
    run = [_report(ids["terminal_id"], MORNING + timedelta(minutes=10 * i)) for i in range(27)]
    _send(gateway, *run)
    pause = [
        *[_report(twin["terminal_id"], MORNING + timedelta(minutes=10 * i)) for i in range(13)],
        _report(twin["terminal_id"], MORNING + timedelta(hours=2, minutes=5), working=False),
        *[
            _report(twin["terminal_id"], MORNING + timedelta(hours=2, minutes=30 + 10 * i))
            for i in range(14)
        ],
    ]
    _send(gateway, *pause)

    alert = _one_alert(gateway, suite, ids["machine_id"], "continuous_work")
    assert alert["rule_version"] == "continuous-work/1"
    evidence = [datetime.fromisoformat(fix["reported_at"]) for fix in alert["evidence"]]
    assert evidence == [MORNING + timedelta(hours=4), MORNING + timedelta(hours=4, minutes=10)]
    _none_after_drain(gateway, suite, twin["machine_id"])


def test_silent_while_working_and_reappearing_far_away_is_one_tamper_violation(
    gateway: httpx.Client, suite: Suite
) -> None:
    ids, twin = register_bound_machine(gateway), register_bound_machine(gateway)
    later = MORNING + timedelta(minutes=45)
    _send(
        gateway,
        _report(ids["terminal_id"], MORNING),
        _report(ids["terminal_id"], later, False, **FAR),
    )
    _send(
        gateway,
        _report(twin["terminal_id"], MORNING, False),
        _report(twin["terminal_id"], later, False, **FAR),
    )

    alert = _one_alert(gateway, suite, ids["machine_id"], "terminal_silent_and_moved")
    assert [fix["latitude"] for fix in alert["evidence"]] == [SITE["latitude"], FAR["latitude"]]
    [violation] = eventually(
        lambda: _violations(gateway, ids["enterprise_id"]) or None, what="violation"
    )
    assert violation["code"] == "suspected_terminal_tampering"
    _none_after_drain(gateway, suite, twin["machine_id"])


def test_a_jump_no_machine_can_make_is_a_data_quality_alert_and_no_violation(
    gateway: httpx.Client, suite: Suite
) -> None:
    ids, twin = register_bound_machine(gateway), register_bound_machine(gateway)
    jump = MORNING + timedelta(minutes=1)
    _send(
        gateway,
        _report(ids["terminal_id"], MORNING, False),
        _report(ids["terminal_id"], jump, False, **FAR),
    )
    jitter = {"latitude": 30.6561, "longitude": 113.1661}
    _send(
        gateway,
        _report(twin["terminal_id"], MORNING, False),
        _report(twin["terminal_id"], jump, False, **jitter),
    )

    alert = _one_alert(gateway, suite, ids["machine_id"], "implausible_movement")
    assert len(alert["evidence"]) == 2
    assert _violations(gateway, ids["enterprise_id"]) == []  # drained: data quality is no violation
    _none_after_drain(gateway, suite, twin["machine_id"])


def test_a_late_report_from_before_a_move_charges_the_old_holder(
    gateway: httpx.Client, suite: Suite
) -> None:
    old = register_bound_machine(gateway)
    new = register_bound_machine(gateway)
    # The registry frees a terminal when its machine is given another one; then it may move.
    freed = gateway.put(
        f"/machines/{old['machine_id']}/terminal", json={"terminal_id": "1" + unique_digits(11)}
    )
    assert freed.status_code == 200, freed.text
    moved = gateway.put(
        f"/machines/{new['machine_id']}/terminal", json={"terminal_id": old["terminal_id"]}
    )
    assert moved.status_code == 200, moved.text
    eventually(
        lambda: (
            gateway.get(f"/terminals/{old['terminal_id']}").json().get("machine_id")
            == new["machine_id"]
        ),
        what="telemetry to see the terminal on its new machine (404 while it is free)",
    )
    night = datetime.fromisoformat("2026-05-12T23:30:00+08:00")  # long before the move
    _send(gateway, _report(old["terminal_id"], night))

    alert = _one_alert(gateway, suite, old["machine_id"], "night_work")
    assert alert["enterprise_id"] == old["enterprise_id"]
    assert _alerts(gateway, new["machine_id"]) == []


def test_fuel_falling_while_parked_is_one_fuel_alert_and_no_violation(
    gateway: httpx.Client, suite: Suite
) -> None:
    ids, twin = register_bound_machine(gateway), register_bound_machine(gateway)
    evening, dawn = MORNING + timedelta(hours=12), MORNING + timedelta(hours=23)
    parked = [_report(ids["terminal_id"], t, False) for t in (evening, dawn)]
    worked = [_report(twin["terminal_id"], t) for t in (MORNING, MORNING + timedelta(minutes=5))]
    for batch in (parked, worked):
        batch[0]["fuel_level_pct"], batch[1]["fuel_level_pct"] = 62.0, 40.0
        _send(gateway, *batch)

    alert = _one_alert(gateway, suite, ids["machine_id"], "fuel_drop_while_parked")
    assert alert["detail"] == "fuel level fell from 62% to 40% while parked"
    assert _violations(gateway, ids["enterprise_id"]) == []  # drained: not a violation
    _none_after_drain(gateway, suite, twin["machine_id"])


def _box(latitude: float, longitude: float, half: float) -> dict[str, Any]:
    ring = [
        [longitude - half, latitude - half],
        [longitude + half, latitude - half],
        [longitude + half, latitude + half],
        [longitude - half, latitude + half],
        [longitude - half, latitude - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def test_working_inside_a_zone_the_registry_declared_is_one_restricted_zone_alert(
    gateway: httpx.Client, suite: Suite
) -> None:
    # A zone of its own, far from where the other tests report, so it changes none of them.
    school = {"latitude": 30.80 + int(unique_digits(3)) / 1e5, "longitude": 113.30}
    declared = httpx.post(
        f"{suite.url('registry')}/restricted-zones",
        json={
            "name": f"实验小学 {unique_digits(6)}",
            "kind": "school",
            "boundary": _box(school["latitude"], school["longitude"], 0.001),
            "jurisdiction_code": "429006",
        },
        auth=Vouched(suite.identity_key_file, subject="city", role="city_staff"),
        timeout=10,
    )
    assert declared.status_code == 201, declared.text
    ids, twin = register_bound_machine(gateway), register_bound_machine(gateway)
    outside = {"latitude": school["latitude"] + 0.01, "longitude": school["longitude"]}

    def report_now() -> list[dict[str, Any]] | None:
        now = datetime.now().astimezone()
        _send(gateway, _report(ids["terminal_id"], now, True, **school))
        _send(gateway, _report(twin["terminal_id"], now, True, **outside))
        return _of_rule(gateway, ids["machine_id"], "work_in_restricted_zone") or None

    # The zone travels on registry.site, apart from the reports, and is not waited for: the
    # terminals report as real ones do until a report is judged with it. One recorded before
    # the zone reached the log is judged without it, live and by a replay alike (decision 78),
    # so this session's history still replays to the live digest (test_enforcement_chain).
    eventually(report_now, what="the restricted-zone alert")
    wait_until_drained(suite)
    # Reports are dated now (the zone counts from its declaration), so at night in Beijing the
    # night-work rule fires as well: count this rule's alerts only.
    [alert] = _of_rule(gateway, ids["machine_id"], "work_in_restricted_zone")
    assert alert["rule_version"] == "restricted-zone/1"
    assert str(alert["jurisdiction"]).startswith("429006")  # the machine's, from the registry
    assert "(school)" in alert["detail"]
    assert _of_rule(gateway, twin["machine_id"], "work_in_restricted_zone") == []


def _of_rule(gateway: httpx.Client, machine_id: str, rule: str) -> list[dict[str, Any]]:
    return [a for a in _alerts(gateway, machine_id) if a["rule"] == rule]


def _machine_with_engine(gateway: httpx.Client, enterprise_id: str) -> dict[str, str]:
    """A machine registered with an engine number of its own (the registry keeps each once),
    its terminal bound and known to telemetry."""
    engine = f"YC6J220-30 B{unique_digits(8)}"
    made = gateway.post("/machines", json={**new_machine(enterprise_id), "engine_number": engine})
    assert made.status_code == 201, made.text
    return {**bind_terminal(gateway, enterprise_id, made.json()["machine_id"]), "engine": engine}


def test_working_with_an_engine_other_than_the_registered_one_is_one_modification_alert(
    gateway: httpx.Client, suite: Suite
) -> None:
    enterprise_id = register_enterprise(gateway)
    ids, twin = (_machine_with_engine(gateway, enterprise_id) for _ in range(2))
    _send(gateway, {**_report(ids["terminal_id"], MORNING), "engine_number": "WP7.240E51"})
    # The lawful twin reports its registered engine, written another way.
    written = twin["engine"].lower().replace("-", " ").replace(" b", "-b")
    _send(gateway, {**_report(twin["terminal_id"], MORNING), "engine_number": written})

    alert = _one_alert(gateway, suite, ids["machine_id"], "suspected_illegal_modification")
    assert alert["rule_version"] == "engine-identity/1"
    assert alert["detail"].startswith(f"engine WP7.240E51 reported, {ids['engine']} registered")
    _none_after_drain(gateway, suite, twin["machine_id"])


def _hours_of_work(terminal_id: str, start: datetime, rates: list[float]) -> list[dict[str, Any]]:
    """Working reports every 15 minutes from `start`, each quarter hour using its rate of tank
    points per engine hour (the hour meter and the level as a terminal reports them)."""
    hours, level = 100.0, 95.0
    reports = [{**_report(terminal_id, start), "engine_hours": hours, "fuel_level_pct": level}]
    for n, rate in enumerate(rates, 1):
        hours, level = hours + 0.25, level - rate / 4
        at = start + timedelta(minutes=15 * n)
        reports.append({**_report(terminal_id, at), "engine_hours": hours, "fuel_level_pct": level})
    return reports


def test_fuel_used_far_above_the_machines_own_baseline_is_one_data_quality_alert(
    gateway: httpx.Client, suite: Suite
) -> None:
    """Six hours at 6 points an engine hour teach the baseline; then an hour at 18 (a thief's
    siphon) is one alert; the twin's hour at 9 (harder work, 1.5x) is none."""
    ids, twin = register_bound_machine(gateway), register_bound_machine(gateway)
    learnt = [6.0] * 24
    _send(gateway, *_hours_of_work(ids["terminal_id"], MORNING, learnt + [18.0] * 4))
    _send(gateway, *_hours_of_work(twin["terminal_id"], MORNING, learnt + [9.0] * 4))

    # Seven hours of work without a break raise continuous work too: count this rule only.
    eventually(
        lambda: _of_rule(gateway, ids["machine_id"], "fuel_use_anomaly") or None,
        what="the fuel use alert",
    )
    wait_until_drained(suite)
    [alert] = _of_rule(gateway, ids["machine_id"], "fuel_use_anomaly")
    assert alert["rule_version"] == "fuel-use-baseline/1"
    assert alert["detail"].endswith("against its own baseline of 6.0%/h")
    codes = {v["code"] for v in _violations(gateway, ids["enterprise_id"])}
    assert "fuel_level_anomaly" not in codes  # data quality: not a violation (drained)
    assert _of_rule(gateway, twin["machine_id"], "fuel_use_anomaly") == []
