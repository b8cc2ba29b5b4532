"""A JT/T 808 report's litres become the fuel level with its machine's registered tank; without
a tank, or above it, the report carries no level (counted), never a guessed one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from tianmen_events.registry import FuelTankAmended
from tianmen_events.telemetry import TerminalAlarm
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.domain.bindings import Binding, Holder, Period
from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.jt808.bindings import KeptBindings, tanks_of
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.items import ItemIds
from tianmen_telemetry.jt808.levels import TankHistory, Tanks, level_pct, levelled, tank_at

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, apply, at, bound, registered
from .server_fixtures import counted

WHEN = at("2026-05-12T07:00:00")
OTHER_TERMINAL, OTHER_MACHINE = "13800000002", "machine-2"


def _report(terminal_id: str = TERMINAL, litres: float | None = 150.0) -> Report:
    return Report(terminal_id, WHEN, 30.6531, 113.1661, False, fuel_litres=litres)


def _bindings() -> dict[str, Binding]:
    moved = (Period(WHEN - timedelta(days=1), Holder(OTHER_MACHINE, ENTERPRISE)),)
    return {
        TERMINAL: Binding(MACHINE, ENTERPRISE),
        OTHER_TERMINAL: Binding(OTHER_MACHINE, ENTERPRISE, moved),
    }


def _tanks(known: dict[str, float]) -> tuple[Tanks, list[set[str]]]:
    """Each machine's registered tank, in force since ever."""
    asked: list[set[str]] = []

    def tanks(machine_ids: Iterable[str]) -> Mapping[str, TankHistory]:
        asked.append(set(machine_ids))
        return {m: ((None, t),) for m, t in known.items() if m in asked[-1]}

    return tanks, asked


def _unknown(reason: str) -> float:
    return counted("tianmen_jt808_fuel_levels_unknown_total", reason=reason)


def test_litres_become_the_level_of_the_machines_registered_tank() -> None:
    tanks, asked = _tanks({MACHINE: 400.0, OTHER_MACHINE: 250.0})
    ours, other = levelled([_report(), _report(OTHER_TERMINAL)], _bindings(), tanks)
    assert (ours.fuel_level_pct, other.fuel_level_pct) == (37.5, 60.0)
    assert asked == [{MACHINE, OTHER_MACHINE}]  # one read for the batch


def test_without_a_tank_the_report_has_no_level_and_is_counted() -> None:
    tanks, _ = _tanks({})
    before = _unknown("no_tank")
    [report] = levelled([_report()], _bindings(), tanks)
    assert (report.fuel_level_pct, _unknown("no_tank")) == (None, before + 1)


def test_litres_above_the_tank_give_no_level() -> None:
    tanks, _ = _tanks({MACHINE: 100.0})
    before = _unknown("over_tank")
    [report] = levelled([_report(litres=100.5)], _bindings(), tanks)
    assert (report.fuel_level_pct, _unknown("over_tank")) == (None, before + 1)
    assert level_pct(100.0, 100.0) == 100.0  # a full tank is a level


def test_lawful_twin_reports_without_litres_read_no_tank() -> None:
    tanks, asked = _tanks({MACHINE: 400.0})
    reports = [_report(litres=None)]
    assert levelled(reports, _bindings(), tanks) is reports
    assert asked == []


def test_kept_tanks_are_read_once_and_again_once_the_registry_mark_moves(
    service: Service,
) -> None:
    apply(service, registered(MACHINE).model_copy(update={"fuel_tank_litres": 400.0}), "reg")
    apply(service, bound(), "bind")
    mark, reads = [0], list[set[str]]()

    def counted(machine_ids: Iterable[str]) -> Mapping[str, TankHistory]:
        reads.append(set(machine_ids))
        return tanks_of(service.engine)(machine_ids)

    lookup = partial(queries.bindings_for, service.engine)
    kept = KeptBindings(lookup, lambda: mark[0], counted)
    kept([TERMINAL])
    assert kept.tanks([MACHINE, "machine-unknown"]) == {MACHINE: ((None, 400.0),)}
    assert kept.tanks([MACHINE]) == {MACHINE: ((None, 400.0),)} and len(reads) == 1
    amended = FuelTankAmended(machine_id=MACHINE, enterprise_id=ENTERPRISE, fuel_tank_litres=300)
    apply(service, amended, "amend", WHEN)
    mark[0] += 1
    kept([TERMINAL])
    assert kept.tanks([MACHINE]) == {MACHINE: ((None, 400.0), (WHEN, 300.0))}


def test_the_servers_custom_items_are_configured_within_0xe1_to_0xff(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JT808_ENGINE_HOURS_ITEM", "0xF0")
    monkeypatch.setenv("JT808_ENGINE_NUMBER_ITEM", "")
    assert Jt808Config().server_settings().items == ItemIds(0xF0, None)
    for wrong in ("0x02", "0x100", "0xE0"):  # 0xE0: table 27's custom length, decision 116
        monkeypatch.setenv("JT808_ENGINE_HOURS_ITEM", wrong)
        with pytest.raises(ValueError, match="0xE1-0xFF"):
            Jt808Config()
    monkeypatch.setenv("JT808_ENGINE_HOURS_ITEM", "0xE2")
    monkeypatch.setenv("JT808_ENGINE_NUMBER_ITEM", "226")
    with pytest.raises(ValueError, match="differ"):
        Jt808Config()


def test_a_levelled_report_keeps_every_other_field_as_replace_would() -> None:
    every = Report(
        TERMINAL,
        WHEN,
        30.6,
        113.1,
        True,
        1532.5,
        None,
        (TerminalAlarm.POWER_CUT,),
        "WP7.240E51",
        150.0,
        1234.5,
    )
    [report] = levelled([every], _bindings(), _tanks({MACHINE: 400.0})[0])
    assert report == replace(every, fuel_level_pct=37.5)


def _amended_at(litres: float) -> Tanks:
    """MACHINE registered with a 400 L tank, amended to `litres` at WHEN."""

    def tanks(machine_ids: Iterable[str]) -> Mapping[str, TankHistory]:
        return {MACHINE: ((None, 400.0), (WHEN, litres))}

    return tanks


def test_after_an_amendment_litres_are_levelled_with_the_new_tank() -> None:
    """Given a 400 L tank amended to 200 L at 07:00, when a report of 150 L made at 07:00 or
    after arrives, then its level is 150 / 200."""
    later = replace(_report(), reported_at=WHEN + timedelta(minutes=1))
    [at_once, after] = levelled([_report(), later], _bindings(), _amended_at(200.0))
    assert (at_once.fuel_level_pct, after.fuel_level_pct) == (75.0, 75.0)


def test_lawful_twin_a_late_report_from_before_the_amendment_keeps_the_old_tank() -> None:
    """The same 150 L, made a minute before the amendment and arriving after it: 150 / 400."""
    earlier = replace(_report(), reported_at=WHEN - timedelta(minutes=1))
    [report] = levelled([earlier], _bindings(), _amended_at(200.0))
    assert report.fuel_level_pct == 37.5


def test_a_tank_given_only_later_levels_nothing_before_it() -> None:
    history = ((WHEN, 300.0),)  # registered without one, amended at WHEN
    assert (tank_at(history, WHEN - timedelta(seconds=1)), tank_at(history, WHEN)) == (None, 300.0)
    assert tank_at(((None, 400.0), (WHEN, 300.0), (WHEN + timedelta(days=1), 500.0)), WHEN) == 300.0
