"""Deciding what a report does to a machine's alerts: raise new ones, clear open ones.

At most one alert per machine and rule is open. A rule's alert id names its episode (night
work: the machine and the night). For each rule, a report in order (`Seen.in_order`):

- on which the rule does not fire clears the rule's open alert;
- on which it fires with the open alert's id changes nothing (the episode goes on);
- on which it fires with another id clears the open alert and raises the new one (a new episode).

A late report is history: it clears nothing, and an alert it raises is not held open (newer
reports have already been seen). An alert id raised before is never raised again, so a
duplicate, a redelivery or a replay derives the same alerts and clearings.

An episode is also its owner's (decision 95): a report is charged to the machine's owner at its
time (decision 91), and the id a rule derives (machine, rule, episode) names the alert of the
first enterprise it was raised against. For another owner, the same episode is that id
qualified by the owner (`owned_id`): across a sale the seller's alert is cleared by the buyer's
first report on which the rule still fires, and the buyer's raised there. An id the rules
derived before is never derived otherwise, so a replay of an old log keeps every alert on it.

A machine whose terminal is taken off it (unbound, or bound to another machine) is no longer
heard: its open alerts raised before the end clear at the end's time, the registry's event as
evidence (`ended`, decision 99; when, `adapters/binding_ends`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tianmen_events import derive_id
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertCleared, AlertRaised, BindingEnded

from tianmen_telemetry.domain.alerting import Named, Rule, Seen, fix_of
from tianmen_telemetry.domain.bindings import End
from tianmen_telemetry.domain.screening import facts, rule_set


@dataclass(frozen=True)
class OpenAlert:
    alert_id: str
    enterprise_id: str
    jurisdiction: str | None = None


class Raised(Protocol):
    """The alert ids ever raised, each with the enterprise it was raised against (a dict)."""

    def get(self, alert_id: str, /) -> str | None: ...


def owned_id(alert_id: str, enterprise_id: str) -> str:
    """The id of the episode `alert_id` names, as another owner's than its first."""
    return derive_id("alert", alert_id, "owner", enterprise_id)


@dataclass(frozen=True)
class Decision:
    raised: list[AlertRaised] = field(default_factory=list)
    cleared: list[AlertCleared] = field(default_factory=list)
    opened: list[AlertRaised] = field(default_factory=list)
    """The raised alerts that stay open (those raised from a report in order)."""


def decide(
    seen: Seen,
    *,
    rules: Sequence[Rule],
    raised: Raised,
    open_alerts: Mapping[AlertRule, OpenAlert] | None = None,
) -> Decision:
    """`raised` holds the ids of alerts ever raised and whose they were; `open_alerts` the
    machine's open ones.

    Only the rules the report's facts let fire are checked (`screening`); a rule holding an
    open alert is decided too, as not firing if it could not fire (the report may clear it)."""
    found, screened, decision = facts(seen), rule_set(rules), Decision()
    if not open_alerts:
        for rule in screened.could_fire(found):
            alert = rule.check(seen)
            if alert is not None:
                _decide_rule(rule, seen, raised, None, alert, decision)
        return decision
    for rule in screened:
        could = rule.needs & found == rule.needs
        if could or rule.name in open_alerts:  # else nothing to raise or clear
            alert = rule.check(seen) if could else None
            _decide_rule(rule, seen, raised, open_alerts.get(rule.name), alert, decision)
    return decision


def _decide_rule(
    rule: Rule,
    seen: Seen,
    raised: Raised,
    held: OpenAlert | None,
    alert: AlertRaised | None,
    into: Decision,
) -> None:
    new, episode = False, ""
    if alert is not None:
        alert_id = episode = alert.alert_id
        owner = raised.get(alert_id)
        if owner is not None and owner != alert.enterprise_id:  # another owner's episode
            alert_id = owned_id(alert_id, alert.enterprise_id)
            owner = raised.get(alert_id)
        new = owner is None
        jurisdiction = seen.register.jurisdiction
        if alert_id != alert.alert_id or jurisdiction is not None:
            update = {"alert_id": alert_id, "jurisdiction": jurisdiction}
            alert = alert.model_copy(update=update)
    if held is not None and seen.in_order and (alert is None or alert.alert_id != held.alert_id):
        superseded = alert if new else None
        handed_on = superseded is not None and superseded.enterprise_id != held.enterprise_id
        if handed_on:  # the same episode, another owner's (else a new episode, say the night)
            handed_on = held.alert_id in (episode, owned_id(episode, held.enterprise_id))
        into.cleared.append(clearing(rule, seen, held, superseded, handed_on=handed_on))
    if alert is not None and new:
        into.raised.append(alert)
        if seen.in_order:
            into.opened.append(alert)


def clearing(
    rule: Named,
    seen: Seen,
    held: OpenAlert,
    superseded: AlertRaised | None,
    *,
    handed_on: bool = False,
) -> AlertCleared:
    """`superseded`: the alert raised in its place; `handed_on`: it is the same episode, the
    machine's new owner's (decision 95)."""
    report = seen.report
    if superseded is None:
        detail = f"{rule.name} no longer holds at {report.reported_at.isoformat()}"
    elif handed_on:
        detail = (
            f"the machine is {superseded.enterprise_id}'s: its {rule.name} episode goes on "
            f"as its alert {superseded.alert_id}"
        )
    else:
        detail = f"a new {rule.name} episode began (alert {superseded.alert_id})"
    return AlertCleared(
        alert_id=held.alert_id,
        enterprise_id=held.enterprise_id,
        machine_id=report.machine_id,
        rule=rule.name,
        rule_version=rule.version,
        cleared_at=report.reported_at,
        detail=detail,
        evidence=(fix_of(report),),
        jurisdiction=held.jurisdiction,
    )


def ended(
    end: End, held: OpenAlert, machine_id: str, rule: AlertRule, rule_version: str
) -> AlertCleared:
    """The alert cleared because its machine's terminal was taken off it (decision 99): the
    machine is no longer heard, so what its reports showed is over at the end's time; the
    registry's event is the evidence, there is no report."""
    at = end.at.isoformat()
    if end.to_machine_id is None:
        how = f"terminal {end.terminal_id} was unbound from the machine at {at}"
    else:
        how = f"terminal {end.terminal_id} was bound to machine {end.to_machine_id} at {at}"
    return AlertCleared(
        alert_id=held.alert_id,
        enterprise_id=held.enterprise_id,
        machine_id=machine_id,
        rule=rule,
        rule_version=rule_version,
        cleared_at=end.at,
        detail=f"{how}: the machine has no terminal, its {rule} episode ends there",
        jurisdiction=held.jurisdiction,
        binding=BindingEnded(
            event_id=end.event_id,
            ended_at=end.at,
            terminal_id=end.terminal_id,
            to_machine_id=end.to_machine_id,
        ),
    )
