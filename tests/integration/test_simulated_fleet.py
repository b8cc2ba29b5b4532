"""`make run`'s simulated fleet over one simulated night, through a real broker and all six
services (issue 8): its bad actors raise their alerts — unlawful night work, tamper alarms, a
terminal silent and moved, a parked tank's drop — and its lawful machines, the night crew on a
permitted site among them, none at all.

The night is tomorrow's or tonight's (event time the test controls, stepped five minutes at a
time): what the registry says is dated by its own clock, so a site registered now counts only
for reports after it. Telemetry's window for reports ahead of its clock is widened to two days
for that, on a suite of this module's own (its own broker: the shared suite keeps ten minutes).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.fleet import SHANGHAI, Profile
from tianmen_devkit.kafka import LocalKafka
from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.simulator import Simulator
from tianmen_devkit.supervisor import SERVICES, Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import DemoLogin, every_page

pytestmark = pytest.mark.integration
EXPECTED = {
    Profile.UNLAWFUL_NIGHT: {"night_work"},
    Profile.TAMPERER: {"tamper_alarm"},
    Profile.SILENT_MOVER: {"terminal_silent_and_moved"},
    Profile.FUEL_THIEF: {"fuel_drop_while_parked"},
}
STEP = timedelta(minutes=5)


@pytest.fixture(scope="module")
def night_suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    folder = tmp_path_factory.mktemp("simulated-night")
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    with pytest.MonkeyPatch.context() as env, LocalKafka(folder / "kafka") as kafka:
        env.setenv("REPORT_MAX_AHEAD", "P2D")
        with Suite(folder / "var", kafka.bootstrap_servers, ports).running(180) as suite:
            yield suite


def evening_after(now: datetime) -> datetime:
    """17:30 in Tianmen, the first after `now`."""
    local = now.astimezone(SHANGHAI)
    evening = datetime.combine(local.date(), time(17, 30), SHANGHAI)
    return evening if evening > local else evening + timedelta(days=1)


def alerts_of(gateway: httpx.Client, machine_id: str) -> list[dict[str, Any]]:
    return every_page(gateway, f"/alerts?machine_id={machine_id}")


def test_a_simulated_night_raises_the_bad_actors_alerts_and_none_for_lawful_machines(
    night_suite: Suite,
) -> None:
    url = night_suite.url("gateway")
    simulator = Simulator(url)  # make run's twelve machines: one of each part
    now = datetime.now(UTC)
    assert simulator.register(now)
    wait_until_drained(night_suite)  # the sites, permits and binds reached telemetry first
    start = evening_after(now)
    steps = int(timedelta(hours=13) / STEP)  # 17:30 to 06:30
    accepted = sum(simulator.report_once(start + i * STEP) for i in range(steps))
    assert accepted > 12 * (steps - 10)  # every report but the silent mover's silence
    wait_until_drained(night_suite, timeout=180)
    with httpx.Client(base_url=f"{url}/api/v1", timeout=30, auth=DemoLogin(url)) as gateway:
        raised = {
            m: {a["rule"] for a in alerts_of(gateway, m.machine_id)} for m in simulator.machines
        }
    for machine, rules in raised.items():
        assert rules == EXPECTED.get(machine.profile, set()), (machine.profile, rules)
    lawful_night = [m for m in simulator.machines if m.profile is Profile.LAWFUL_NIGHT]
    assert len(lawful_night) == 2 and all(raised[m] == set() for m in lawful_night)
