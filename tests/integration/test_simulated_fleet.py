"""`make run`'s simulated fleet over one simulated night, through a real broker and all six
services (issue 8): its bad actors raise their alerts — unlawful night work, tamper alarms, a
terminal silent and moved, a parked tank's drop — and its lawful machines, the night crew on a
permitted site among them, none at all. Over HTTP, and over JT/T 808 through telemetry's
server process (a night in the past there: see that test; the fuel in litres, which the tank
each machine is registered with makes a level).

The night is tomorrow's or tonight's (event time the test controls, stepped five minutes at a
time): what the registry says is dated by its own clock, so a site registered now counts only
for reports after it. Telemetry's window for reports ahead of its clock is widened to two days
for that on the session's suite (its `running_suite`). The night runs on one backend, the last
of the session's (PostgreSQL by default), whose suite is still up when this module's turn comes:
its machines, enterprises and sites are its own, and nothing after it counts what it reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.fleet import SHANGHAI, Machine, Profile, fleet
from tianmen_devkit.jt808_fleet import Jt808Reports
from tianmen_devkit.simulator import Simulator
from tianmen_devkit.supervisor import Suite

from tests.integration.conftest import BACKENDS
from tests.integration.drain import wait_until_drained
from tests.integration.helpers import DemoLogin, every_page
from tests.integration.jt808_process import running_jt808

pytestmark = [
    pytest.mark.integration,
    pytest.mark.parametrize("backend", BACKENDS[-1:], indirect=True),
]
MAX_AHEAD = "P2D"
"""As the session's suite has it (`running_suite`)."""
EXPECTED = {
    Profile.UNLAWFUL_NIGHT: {"night_work"},
    Profile.TAMPERER: {"tamper_alarm"},
    Profile.SILENT_MOVER: {"terminal_silent_and_moved"},
    Profile.FUEL_THIEF: {"fuel_drop_while_parked"},
}
STEP = timedelta(minutes=5)
STEPS = int(timedelta(hours=13) / STEP)  # 17:30 to 06:30


def evening_after(now: datetime) -> datetime:
    """17:30 in Tianmen, the first after `now`."""
    local = now.astimezone(SHANGHAI)
    evening = datetime.combine(local.date(), time(17, 30), SHANGHAI)
    return evening if evening > local else evening + timedelta(days=1)


def a_night(suite: Suite, simulator: Simulator, days: int = 0) -> dict[Machine, set[str]]:
    """Register the fleet, report one night (`days` after the next), and the rules of each
    machine's alerts."""
    now = datetime.now(UTC)
    assert simulator.register(now)
    wait_until_drained(suite)  # the sites, permits and binds reached telemetry first
    start = evening_after(now) + timedelta(days=days)
    accepted = sum(simulator.report_once(start + i * STEP) for i in range(STEPS))
    assert accepted > len(simulator.machines) * (STEPS - 10)  # all but the silent mover's silence
    wait_until_drained(suite, timeout=180)
    url = suite.url("gateway")
    with httpx.Client(base_url=f"{url}/api/v1", timeout=30, auth=DemoLogin(url)) as gateway:
        return {m: rules_raised(gateway, m.machine_id) for m in simulator.machines}


def rules_raised(gateway: httpx.Client, machine_id: str) -> set[str]:
    alerts: list[dict[str, Any]] = every_page(gateway, f"/alerts?machine_id={machine_id}")
    return {a["rule"] for a in alerts}


def test_a_simulated_night_raises_the_bad_actors_alerts_and_none_for_lawful_machines(
    suite: Suite,
) -> None:
    raised = a_night(suite, Simulator(suite.url("gateway")))  # make run's twelve
    for machine, rules in raised.items():
        assert rules == EXPECTED.get(machine.profile, set()), (machine.profile, rules)
    lawful_night = [m for m in raised if m.profile is Profile.LAWFUL_NIGHT]
    assert len(lawful_night) == 2 and all(raised[m] == set() for m in lawful_night)


@pytest.fixture
def jt808_server(suite: Suite) -> Iterator[int]:
    """`python -m tianmen_telemetry.jt808` on telemetry's store, as its pods run."""
    with running_jt808(suite, REPORT_MAX_AHEAD=MAX_AHEAD) as port:
        yield port


def test_a_past_night_over_jt808_raises_the_bad_actors_alerts_the_fuel_thiefs_too(
    suite: Suite, jt808_server: int
) -> None:
    """The JT/T 808 server judges reports by the default window (up to 10 minutes ahead of its
    clock, whatever REPORT_MAX_AHEAD says), so this night is two days back: before the sites
    and permits were registered. Then no site is known (outside-site is not judged) and no
    permit either, so the lawful night crew's work counts as unlawful; the day crews and the
    bad actors are judged as over HTTP, the thief too: its terminal's litres are a level with
    the tank its machine is registered with."""
    transport = Jt808Reports("127.0.0.1", jt808_server)
    machines = fleet(12, first=50)  # another twelve: one of each part again
    simulator = Simulator(suite.url("gateway"), machines=machines, transport=transport)
    try:
        raised = a_night(suite, simulator, days=-2)
    finally:
        transport.close()
    assert len(transport.terminals) == 12  # every terminal logged in and stayed connected
    expected = EXPECTED | {Profile.LAWFUL_NIGHT: {"night_work"}}
    for machine, rules in raised.items():
        assert rules == expected.get(machine.profile, set()), (machine.profile, rules)
