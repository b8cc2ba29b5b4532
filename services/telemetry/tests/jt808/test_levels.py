"""A JT/T 808 report's litres become the fuel level with its machine's registered tank; without
a tank, or above it, the report carries no level (counted), never a guessed one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import update
from tianmen_events.telemetry import TerminalAlarm
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.adapters.orm import machines
from tianmen_telemetry.domain.bindings import Binding, Holder, Period
from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.jt808.bindings import KeptBindings, tanks_of
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.items import ItemIds
from tianmen_telemetry.jt808.levels import Tanks, level_pct, levelled

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
    asked: list[set[str]] = []

    def tanks(machine_ids: Iterable[str]) -> Mapping[str, float]:
        asked.append(set(machine_ids))
        return {m: t for m, t in known.items() if m in asked[-1]}

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

    def counted(machine_ids: Iterable[str]) -> Mapping[str, float]:
        reads.append(set(machine_ids))
        return tanks_of(service.engine)(machine_ids)

    lookup = partial(queries.bindings_for, service.engine)
    kept = KeptBindings(lookup, lambda: mark[0], counted)
    kept([TERMINAL])
    assert kept.tanks([MACHINE, "machine-unknown"]) == {MACHINE: 400.0}
    assert kept.tanks([MACHINE]) == {MACHINE: 400.0} and len(reads) == 1
    with service.engine.begin() as conn:
        conn.execute(update(machines).values(fuel_tank_litres=300.0))
    mark[0] += 1
    kept([TERMINAL])
    assert kept.tanks([MACHINE]) == {MACHINE: 300.0}


def test_the_servers_custom_items_are_configured_within_0xe0_to_0xff(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JT808_ENGINE_HOURS_ITEM", "0xF0")
    monkeypatch.setenv("JT808_ENGINE_NUMBER_ITEM", "")
    assert Jt808Config().server_settings().items == ItemIds(0xF0, None)
    for wrong in ("0x02", "0x100"):
        monkeypatch.setenv("JT808_ENGINE_HOURS_ITEM", wrong)
        with pytest.raises(ValueError, match="0xE0-0xFF"):
            Jt808Config()
    monkeypatch.setenv("JT808_ENGINE_HOURS_ITEM", "0xE1")
    monkeypatch.setenv("JT808_ENGINE_NUMBER_ITEM", "225")
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
    )
    [report] = levelled([every], _bindings(), _tanks({MACHINE: 400.0})[0])
    assert report == replace(every, fuel_level_pct=37.5)
