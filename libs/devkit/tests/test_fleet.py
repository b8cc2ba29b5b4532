"""The simulated fleet's model: parked tanks keep their fuel save the thief's, night crews work at
night (the lawful ones on a permitted site), the tamperer sets its alarm bits, the silent mover
falls silent and reappears on another site, and the same seed and steps give the same readings."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, time, timedelta

import pytest
from tianmen_devkit.fleet import (
    PERMITTED_SITES,
    SHANGHAI,
    SITE_HALF_SIZE,
    FleetModel,
    Machine,
    Profile,
    Reading,
    fleet,
    site,
    sites_of,
)
from tianmen_devkit.jt808_fleet import Jt808Reports, location
from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.simulator import NIGHT_HOURS, as_json, permits, simulated_clock
from tianmen_telemetry.jt808.convert import tamper_alarms, to_report

START = datetime(2026, 12, 2, 12, 0, tzinfo=SHANGHAI)
STEP = timedelta(minutes=5)


def two_days(machines: list[Machine], seed: int = 2026) -> dict[str, list[Reading]]:
    model = FleetModel(machines, seed)
    by_terminal: dict[str, list[Reading]] = {m.terminal_id: [] for m in machines}
    for i in range(2 * 24 * 12):
        for reading in model.step(START + i * STEP):
            by_terminal[reading.terminal_id].append(reading)
    return by_terminal


def parked_drops(readings: list[Reading]) -> list[float]:
    pairs = itertools.pairwise(readings)
    return [
        a.fuel_level_pct - b.fuel_level_pct
        for a, b in pairs
        if not a.working and not b.working and a.fuel_level_pct > b.fuel_level_pct
    ]


def of(profile: Profile, machines: list[Machine]) -> list[Machine]:
    return [m for m in machines if m.profile is profile]


def local(at: datetime) -> time:
    return at.astimezone(SHANGHAI).time()


def is_night(at: datetime) -> bool:
    return local(at) >= time(22) or local(at) < time(6)


def test_twelve_machines_hold_one_of_each_part_and_eight_thousand_two_percent_each() -> None:
    small = fleet(12)
    assert {m.profile for m in small} == set(Profile)
    large = fleet(8000)
    assert len(of(Profile.FUEL_THIEF, large)) == 160
    assert len({m.terminal_id for m in large}) == 8000


def test_a_lawful_machine_keeps_its_fuel_while_parked_and_the_thief_loses_it() -> None:
    machines = fleet(50)
    readings = two_days(machines)
    for m in machines:
        drops = parked_drops(readings[m.terminal_id])
        if m.profile is Profile.FUEL_THIEF:
            assert len(drops) == 2 and min(drops) >= 10  # one a night, enough for the rule
        else:
            assert drops == []


def test_fuel_falls_and_the_hour_meter_rises_only_while_working() -> None:
    (machine,) = of(Profile.DAY, fleet(1))
    readings = two_days([machine])[machine.terminal_id]
    for a, b in itertools.pairwise(readings):
        if not (a.working and b.working):
            assert b.engine_hours == a.engine_hours
        else:
            assert b.engine_hours > a.engine_hours
            assert b.fuel_level_pct < a.fuel_level_pct


def test_night_crews_work_at_night_and_the_lawful_ones_hold_a_permit_for_site_and_date() -> None:
    machines = fleet(50)
    readings = two_days(machines)
    for m in machines:
        at_night = [r for r in readings[m.terminal_id] if r.working and is_night(r.at)]
        assert bool(at_night) == (m.profile in (Profile.LAWFUL_NIGHT, Profile.UNLAWFUL_NIGHT))
        permitted = m.site_number in PERMITTED_SITES
        assert permitted == (m.profile is Profile.LAWFUL_NIGHT)
        if m.profile is Profile.LAWFUL_NIGHT:
            assert all(permit_covers(r.at) for r in at_night)
            assert all(on_site(r, m.site_number) for r in at_night)


def permit_covers(at: datetime) -> bool:
    start, end = (time.fromisoformat(NIGHT_HOURS[k]) for k in ("start", "end"))
    clock = local(at)
    windows = [
        (datetime.fromisoformat(p["valid_from"]), datetime.fromisoformat(p["valid_until"]))
        for p in permits(START)
    ]
    dated = any(since <= at <= until for since, until in windows)
    return dated and (clock >= start or clock < end)


def on_site(reading: Reading, number: int) -> bool:
    (lat, lon), (dlat, dlon) = site(number).centre, SITE_HALF_SIZE
    return abs(reading.latitude - lat) < dlat and abs(reading.longitude - lon) < dlon


def test_every_working_reading_stands_on_a_site_of_its_enterprise() -> None:
    machines = fleet(50)
    readings = two_days(machines)
    numbers = {s.number for s in sites_of(machines)}
    for m in machines:
        own = [n for n in numbers if n % 3 == m.enterprise]
        working = [r for r in readings[m.terminal_id] if r.working]
        assert working and all(any(on_site(r, n) for n in own) for r in working)


def test_a_jt808_location_reads_as_fuel_and_engine_hours_and_gives_no_made_up_mileage() -> None:
    """The fleet keeps no odometer: a zero mileage item would be every machine's AEMP
    `Distance` (decision 116), so none is sent; the hours go in 0xE1, not table 27's 0xE0."""
    reading = two_days(fleet(1))[fleet(1)[0].terminal_id][0]
    report = to_report(fleet(1)[0].terminal_id, location(reading))
    assert report is not None
    assert report.mileage_km is None
    assert report.engine_hours == round(reading.engine_hours * 10) / 10
    assert 0xE0 not in dict(location(reading).items)


def test_the_tamperer_sets_power_and_antenna_cut_once_a_night_and_no_one_else_does() -> None:
    machines = fleet(12)
    readings = two_days(machines)
    for m in machines:
        alarmed = [r for r in readings[m.terminal_id] if r.alarms]
        if m.profile is Profile.TAMPERER:
            assert [local(r.at) for r in alarmed] == [time(3), time(3)]
            bits = tamper_alarms(location(alarmed[0]))
            assert [b.value for b in bits] == ["power_cut", "antenna_cut"]
            assert as_json(alarmed[0])["alarms"] == ["power_cut", "antenna_cut"]
        else:
            assert alarmed == []


def test_the_silent_mover_falls_silent_while_working_and_reappears_kilometres_away() -> None:
    (mover,) = of(Profile.SILENT_MOVER, fleet(12))
    readings = two_days([mover])[mover.terminal_id]
    gaps = [(a, b) for a, b in itertools.pairwise(readings) if b.at - a.at > STEP]
    assert len(gaps) == 2
    for before, after in gaps:
        assert before.working and after.at - before.at >= timedelta(minutes=30)
        assert (
            abs(after.latitude - before.latitude) + abs(after.longitude - before.longitude) > 0.015
        )
    steady = [(a, b) for a, b in itertools.pairwise(readings) if b.at - a.at == STEP]
    assert all(abs(b.longitude - a.longitude) < 0.001 for a, b in steady)  # no jump otherwise


@pytest.mark.parametrize("seed", [2026, 7])
def test_the_same_seed_and_steps_give_the_same_readings(seed: int) -> None:
    assert two_days(fleet(12, seed), seed) == two_days(fleet(12, seed), seed)


def test_another_seed_gives_another_fleet() -> None:
    assert two_days(fleet(12, 1)) != two_days(fleet(12, 2))


def test_a_restarted_fleet_reads_no_parked_drop_and_no_hours_lost() -> None:
    machines = fleet(50)
    before = two_days(machines)
    restarted = FleetModel(machines).step(START + 2 * timedelta(days=1) + STEP)
    for reading in restarted:
        last = before[reading.terminal_id][-1]
        assert reading.fuel_level_pct >= last.fuel_level_pct
        assert reading.engine_hours >= last.engine_hours


def test_permits_cover_now_for_at_most_ninety_days_and_are_the_same_on_a_restart() -> None:
    issued = permits(START)
    windows = [
        (datetime.fromisoformat(p["valid_from"]), datetime.fromisoformat(p["valid_until"]))
        for p in issued
    ]
    assert any(since <= START < until for since, until in windows)
    assert all(until - since <= timedelta(days=90) for since, until in windows)
    assert windows[0][1] == windows[1][0]  # the next window follows without a gap
    assert permits(START + timedelta(hours=5)) == issued  # re-issued: the same derived ids


def test_the_simulated_clock_starts_where_told_and_runs_faster() -> None:
    clock = simulated_clock(START, 3600.0)
    first = clock()
    assert START <= first < START + timedelta(hours=1)
    assert clock() >= first


def test_the_jt808_transport_sends_from_a_thread_whose_loop_is_running() -> None:
    """Its loop is its own thread's: a caller inside a running loop (a test after Playwright's
    browser tests, an async app) sends all the same. Nothing listens here: nothing is sent."""
    [port] = free_ports(1)
    transport = Jt808Reports("127.0.0.1", port)
    readings = FleetModel(fleet(2), 2026).step(START)

    async def inside_a_running_loop() -> int:
        return transport.send(readings)

    try:
        assert asyncio.run(inside_a_running_loop()) == 0
    finally:
        transport.close()
    assert not transport.loop.is_running()
