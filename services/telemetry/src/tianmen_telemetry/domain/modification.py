"""Suspected illegal modification: the engine the machine reports is not the registered one.

The registry keeps each machine's engine number (`MachineRegistered.engine_number`); it keeps
no ECU identity, so the engine number is what is compared. A terminal that reports none, or a
machine registered without one, is not judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Seen, fix_of, make_alert
from tianmen_telemetry.domain.screening import ENGINES, WORKING


def normalised(engine_number: str) -> str:
    """Engine numbers are compared as plates are read: case, spaces and dashes aside."""
    return "".join(c for c in engine_number.upper() if c.isalnum())


@dataclass(frozen=True)
class SuspectedModificationRule:
    """A working report naming an engine other than the registered one: one alert per machine
    and foreign engine (the same swapped engine reported all day is one episode)."""

    name: AlertRule = AlertRule.SUSPECTED_ILLEGAL_MODIFICATION
    version: str = "engine-identity/1"
    needs: ClassVar[int] = WORKING | ENGINES

    def check(self, seen: Seen) -> AlertRaised | None:
        report, registered = seen.report, seen.register.engine_number
        if not report.working or not report.engine_number or not registered:
            return None
        reported = normalised(report.engine_number)
        if reported == normalised(registered):
            return None
        alert_id = derive_id("alert", self.name, report.machine_id, reported)
        detail = (
            f"engine {report.engine_number} reported, {registered} registered: "
            "suspected illegal modification"
        )
        return make_alert(self, report, alert_id, detail, [fix_of(report)])
