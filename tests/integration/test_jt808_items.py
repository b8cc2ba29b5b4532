"""What a JT/T 808 terminal says about its fuel, its engine and its mileage, through
telemetry's server process, the real broker and the whole suite (issue 8): a simulated terminal
whose litres fall while parked raises `fuel_drop_while_parked` (the registered tank makes them a
level), one that reports another engine number raises the modification alert. Their lawful
twins raise nothing: the same litres on a machine registered without a tank (no level, not a
guess), and the registered engine number (counted only once the pipeline has drained). Its
mileage (item 0x01) is the fleet snapshot's `Distance`; a tank amended through the gateway
levels the litres of reports made after the amendment, not those made before (decision 116)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite
from tianmen_telemetry.jt808.items import ENGINE_NUMBER
from tianmen_telemetry.jt808.messages.location import FUEL, MILEAGE
from tianmen_telemetry.jt808.simulator import SimulatedTerminal, location
from tianmen_telemetry.jt808.wire import GMT8, dword, word

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import (
    bind_terminal,
    eventually,
    every_page,
    new_machine,
    register_enterprise,
    run_async,
    unique_digits,
)
from tests.integration.jt808_process import running_jt808

pytestmark = pytest.mark.integration

SITE = (30.6531, 113.1661)
MORNING = datetime.fromisoformat("2026-05-12T07:00:00+08:00")


@pytest.fixture(scope="module")
def jt808_port(suite: Suite) -> Iterator[int]:
    """`python -m tianmen_telemetry.jt808` on the suite's telemetry store, as its pods run."""
    with running_jt808(suite, REPORT_MAX_AGE="P36500D") as port:
        yield port


def _machine(gateway: httpx.Client, enterprise_id: str, **more: Any) -> dict[str, str]:
    made = gateway.post("/machines", json={**new_machine(enterprise_id), **more})
    assert made.status_code == 201, made.text
    return bind_terminal(gateway, enterprise_id, made.json()["machine_id"])


def _items(
    litres: float | None = None, engine: str | None = None, mileage: float | None = None
) -> tuple[Any, ...]:
    fuel = () if litres is None else ((FUEL, word(round(litres * 10))),)
    number = () if engine is None else ((ENGINE_NUMBER, engine.encode("gbk")),)
    km = () if mileage is None else ((MILEAGE, dword(round(mileage * 10))),)
    return km + fuel + number


async def _report(
    port: int, terminal_id: str, *sent: tuple[datetime, bool, tuple[Any, ...]]
) -> None:
    """Log in as the terminal and send each (time, working, items) location, each accepted."""
    terminal = SimulatedTerminal(terminal_id)
    await terminal.connect("127.0.0.1", port)
    try:
        registered = await terminal.register(f"D{terminal_id[-6:]}")
        assert (await terminal.authenticate(registered.auth_code)).result == 0
        for at, working, items in sent:
            fix = replace(location(at, *SITE, working=working), items=items)
            assert (await terminal.report(fix)).result == 0
    finally:
        await terminal.close()


def _alerts(gateway: httpx.Client, machine_id: str) -> list[dict[str, Any]]:
    return every_page(gateway, f"/alerts?machine_id={machine_id}")


def test_litres_falling_while_parked_over_jt808_is_one_fuel_alert(
    gateway: httpx.Client, suite: Suite, jt808_port: int
) -> None:
    enterprise_id = register_enterprise(gateway)
    tanked = _machine(gateway, enterprise_id, fuel_tank_litres=400)
    twin = _machine(gateway, enterprise_id)  # no tank registered: litres give no level
    evening, dawn = MORNING + timedelta(hours=12), MORNING + timedelta(hours=23)
    for ids in (tanked, twin):
        parked = ((evening, False, _items(248.0)), (dawn, False, _items(160.0)))
        run_async(partial(_report, jt808_port, ids["terminal_id"], *parked))

    eventually(lambda: _alerts(gateway, tanked["machine_id"]) or None, what="the fuel alert")
    wait_until_drained(suite)
    [alert] = _alerts(gateway, tanked["machine_id"])
    assert alert["rule"] == "fuel_drop_while_parked"
    assert alert["detail"] == "fuel level fell from 62% to 40% while parked"
    assert _alerts(gateway, twin["machine_id"]) == []


def test_another_engine_number_over_jt808_is_one_modification_alert(
    gateway: httpx.Client, suite: Suite, jt808_port: int
) -> None:
    enterprise_id = register_enterprise(gateway)
    engines = [f"YC6J220-30 B{unique_digits(8)}" for _ in range(2)]
    ids, twin = (_machine(gateway, enterprise_id, engine_number=e) for e in engines)
    run_async(
        partial(
            _report, jt808_port, ids["terminal_id"], (MORNING, True, _items(engine="WP7.240E51"))
        )
    )
    run_async(
        partial(
            _report, jt808_port, twin["terminal_id"], (MORNING, True, _items(engine=engines[1]))
        )
    )

    eventually(lambda: _alerts(gateway, ids["machine_id"]) or None, what="the modification alert")
    wait_until_drained(suite)
    [alert] = _alerts(gateway, ids["machine_id"])
    assert alert["rule"] == "suspected_illegal_modification"
    assert alert["detail"].startswith(f"engine WP7.240E51 reported, {engines[0]} registered")
    assert _alerts(gateway, twin["machine_id"]) == []


def _equipment(gateway: httpx.Client, enterprise_id: str) -> dict[str, dict[str, Any]]:
    fleet = gateway.get(f"/enterprises/{enterprise_id}/fleet")
    assert fleet.status_code == 200, fleet.text
    return {e["EquipmentHeader"]["EquipmentID"]: e for e in fleet.json()["Fleet"]["Equipment"]}


def test_the_mileage_over_jt808_is_the_fleet_snapshots_distance(
    gateway: httpx.Client, suite: Suite, jt808_port: int
) -> None:
    """Given a terminal that sends item 0x01 (1234.5 km) and its twin that sends none, when
    the fleet is asked through the gateway, then the first has a `Distance` in kilometres
    dated by its report, the twin none (never a zero)."""
    enterprise_id = register_enterprise(gateway)
    ids, twin = (_machine(gateway, enterprise_id) for _ in range(2))
    sent = ((ids, _items(mileage=1234.5)), (twin, _items(litres=100.0)))
    for machine, items in sent:
        run_async(partial(_report, jt808_port, machine["terminal_id"], (MORNING, True, items)))

    def both_located() -> dict[str, dict[str, Any]] | None:
        found = _equipment(gateway, enterprise_id)
        return found if all("Location" in e for e in found.values()) else None

    equipment = eventually(both_located, what="both machines in the fleet snapshot")
    assert equipment[ids["machine_id"]]["Distance"] == {
        "datetime": "2026-05-11T23:00:00Z",
        "OdometerUnits": "kilometre",
        "Odometer": 1234.5,
    }
    assert "Distance" not in equipment[twin["machine_id"]]


def _levels(gateway: httpx.Client, machine_id: str, since: datetime, until: datetime) -> Any:
    params = {"from": since.isoformat(), "to": until.isoformat()}
    track = gateway.get(f"/machines/{machine_id}/track", params=params)
    assert track.status_code == 200, track.text
    return [p["fuel_level_pct"] for p in track.json()["items"]] or None


def test_a_tank_amended_through_the_gateway_levels_the_litres_of_reports_after_it(
    gateway: httpx.Client, suite: Suite, jt808_port: int
) -> None:
    """Given a machine registered with a 400 L tank, when its tank is amended to 200 L through
    the gateway and its terminal then sends 100 L now, and 100 L in a report made months
    before (buffered), then now's level is 50 % and the old report's 25 %: each with the tank
    in force at its time. Bad input is refused as problem+json naming the field."""
    enterprise_id = register_enterprise(gateway)
    ids = _machine(gateway, enterprise_id, fuel_tank_litres=400)
    path = f"/machines/{ids['machine_id']}/fuel-tank"
    refused = gateway.put(path, json={"fuel_tank_litres": "200"})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["errors"][0]["field"] == "fuel_tank_litres"
    amended = gateway.put(path, json={"fuel_tank_litres": 200})
    assert amended.status_code == 200, amended.text
    assert amended.json()["fuel_tank_litres"] == 200
    wait_until_drained(suite)  # telemetry holds the amendment: the server reads it anew

    # A JT/T 808 time is whole seconds: the next one, so that "now" is after the amendment's
    # event time even when the pipeline drained within the same second.
    now = (datetime.now(GMT8) + timedelta(seconds=1)).replace(microsecond=0)
    sent = ((now, False, _items(100.0)), (MORNING, False, _items(100.0)))
    run_async(partial(_report, jt808_port, ids["terminal_id"], *sent))

    hour = timedelta(hours=1)
    machine_id = ids["machine_id"]
    after = eventually(lambda: _levels(gateway, machine_id, now - hour, now + hour), what="now")
    before = eventually(
        lambda: _levels(gateway, machine_id, MORNING - hour, MORNING + hour), what="the old one"
    )
    assert (after, before) == ([50.0], [25.0])
