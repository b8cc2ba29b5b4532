"""One open alert per machine and rule until it clears, given/when/then: given the machine's
open alerts, when a report arrives, then what clears and what is raised."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import TerminalAlarm
from tianmen_telemetry.domain.alerts import Decision, OpenAlert, decide, owned_id
from tianmen_telemetry.domain.live_state import evolve
from tianmen_telemetry.domain.rules import NIGHT_WORK, RULES

from ..helpers import ENTERPRISE, MACHINE, at, reported, seen

NIGHT = at("2026-05-11T23:30:00")


def _open(rule: AlertRule, alert_id: str) -> dict[AlertRule, OpenAlert]:
    return {rule: OpenAlert(alert_id, ENTERPRISE)}


def _night_alert_id() -> str:
    alert = NIGHT_WORK.check(seen(reported(NIGHT)))
    assert alert is not None
    return alert.alert_id


def _when(report_at: datetime, held: dict[AlertRule, OpenAlert], **fields: Any) -> Decision:
    before = evolve(None, reported(NIGHT))
    report = reported(report_at, **fields)
    return decide(
        seen(report, before), rules=RULES, raised={_night_alert_id(): ENTERPRISE}, open_alerts=held
    )


def test_a_new_night_work_alert_is_held_open() -> None:
    decision = decide(seen(reported(NIGHT)), rules=RULES, raised={}, open_alerts={})
    [alert] = decision.raised
    assert decision.opened == [alert]
    assert decision.cleared == []


def test_the_machine_stopping_at_night_clears_the_open_night_work_alert() -> None:
    held = _open(AlertRule.NIGHT_WORK, _night_alert_id())
    decision = _when(NIGHT + timedelta(minutes=5), held, working=False)
    [cleared] = decision.cleared
    assert (cleared.alert_id, cleared.enterprise_id, cleared.machine_id) == (
        _night_alert_id(),
        ENTERPRISE,
        MACHINE,
    )
    assert (cleared.rule, cleared.rule_version) == ("night_work", "night-work/2")
    assert cleared.cleared_at == NIGHT + timedelta(minutes=5)
    assert [f.working for f in cleared.evidence] == [False]
    assert decision.raised == []


def test_lawful_twin_working_on_the_same_night_neither_clears_nor_raises() -> None:
    held = _open(AlertRule.NIGHT_WORK, _night_alert_id())
    decision = _when(NIGHT + timedelta(minutes=5), held)
    assert decision == Decision()


def test_a_late_report_clears_nothing() -> None:
    held = _open(AlertRule.NIGHT_WORK, _night_alert_id())
    decision = _when(NIGHT - timedelta(hours=12), held, working=False)
    assert decision.cleared == []


def test_an_alert_raised_from_a_late_report_is_not_held_open() -> None:
    before = evolve(None, reported(NIGHT + timedelta(days=1)))
    late = reported(NIGHT)
    decision = decide(seen(late, before), rules=RULES, raised={}, open_alerts={})
    [alert] = decision.raised
    assert alert.rule == "night_work"
    assert decision.opened == []


def test_the_next_night_clears_the_last_nights_alert_and_raises_its_own() -> None:
    held = _open(AlertRule.NIGHT_WORK, _night_alert_id())
    decision = _when(NIGHT + timedelta(days=1), held)
    [cleared] = decision.cleared
    [raised] = decision.raised
    assert cleared.alert_id == _night_alert_id()
    assert raised.alert_id != cleared.alert_id
    assert raised.alert_id in cleared.detail
    assert decision.opened == [raised]


def test_a_tamper_alarm_stays_one_open_alert_while_set_and_clears_once_it_is_not() -> None:
    day = at("2026-05-11T10:00:00")
    cut = (TerminalAlarm.POWER_CUT,)
    [alert] = decide(seen(reported(day, alarms=cut)), rules=RULES, raised={}).raised
    before = evolve(None, reported(day, alarms=cut))
    held = _open(AlertRule.TAMPER_ALARM, alert.alert_id)
    still = reported(day + timedelta(minutes=1), alarms=cut)
    assert decide(
        seen(still, before),
        rules=RULES,
        raised={alert.alert_id: alert.enterprise_id},
        open_alerts=held,
    ) == (Decision())
    restored = reported(day + timedelta(minutes=2))
    decision = decide(
        seen(restored, before),
        rules=RULES,
        raised={alert.alert_id: alert.enterprise_id},
        open_alerts=held,
    )
    assert [c.alert_id for c in decision.cleared] == [alert.alert_id]
    assert decision.raised == []


BUYER = "enterprise-2"
NIGHT_ID = "41adddff-18d4-5f4a-8368-90462ed7e52c"  # machine-1, the night of 2026-05-11
OWNED_ID = "c07f2e66-56d6-556f-818c-f72d0e9a9aad"  # the same, as enterprise-2's


def test_the_buyers_report_of_the_sellers_episode_clears_it_and_raises_the_buyers() -> None:
    """Given the seller's night-work alert open, when a report charged to the buyer (sold that
    night) still shows night work, then the seller's clears, naming the buyer's alert, and the
    buyer's is raised and held open (decision 95)."""
    held = _open(AlertRule.NIGHT_WORK, _night_alert_id())
    decision = _when(NIGHT + timedelta(hours=1), held, enterprise_id=BUYER)
    [cleared], [alert] = decision.cleared, decision.raised
    assert (cleared.alert_id, cleared.enterprise_id) == (_night_alert_id(), ENTERPRISE)
    assert (alert.alert_id, alert.enterprise_id) == (owned_id(_night_alert_id(), BUYER), BUYER)
    assert cleared.detail == (
        f"the machine is {BUYER}'s: its night_work episode goes on as its alert {alert.alert_id}"
    )
    assert decision.opened == [alert]


def test_the_buyers_alert_goes_on_and_the_seller_keeps_its_id() -> None:
    """The buyer's alert, once raised, is its episode: later reports raise nothing; a seller's
    report (late: history) finds the seller's own alert raised already."""
    owned = owned_id(_night_alert_id(), BUYER)
    raised = {_night_alert_id(): ENTERPRISE, owned: BUYER}
    before = evolve(None, reported(NIGHT + timedelta(hours=1), enterprise_id=BUYER))
    later = reported(NIGHT + timedelta(hours=2), enterprise_id=BUYER)
    held = {AlertRule.NIGHT_WORK: OpenAlert(owned, BUYER)}
    assert decide(seen(later, before), rules=RULES, raised=raised, open_alerts=held) == Decision()
    late = reported(NIGHT - timedelta(minutes=10))
    assert decide(seen(late, before), rules=RULES, raised=raised, open_alerts=held) == Decision()


def test_alert_ids_are_pinned() -> None:
    """The ids are published and safety derives its cases from them: a rule's id, and the id of
    its episode as a later owner's, must not change under a replay."""
    assert _night_alert_id() == derive_id("alert", "night_work", MACHINE, NIGHT.date())
    assert _night_alert_id() == NIGHT_ID
    assert owned_id(NIGHT_ID, BUYER) == OWNED_ID


def test_the_buyers_next_night_is_a_new_episode_not_the_sellers_handed_on() -> None:
    """Given the seller's alert of one night open, when the buyer's report of the next night
    fires, then the seller's clears as a new episode began (not as handed on)."""
    held = _open(AlertRule.NIGHT_WORK, _night_alert_id())
    decision = _when(NIGHT + timedelta(days=1), held, enterprise_id=BUYER)
    [cleared], [alert] = decision.cleared, decision.raised
    assert alert.alert_id == derive_id("alert", "night_work", MACHINE, NIGHT.date() + timedelta(1))
    assert cleared.detail == f"a new night_work episode began (alert {alert.alert_id})"
