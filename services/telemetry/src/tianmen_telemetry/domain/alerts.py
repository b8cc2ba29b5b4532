"""Deciding which alerts a report raises: what the rules say, less what was already raised."""

from __future__ import annotations

from collections.abc import Container, Sequence

from tianmen_events.telemetry import AlertRaised

from tianmen_telemetry.domain.alerting import Rule, Seen


def decide(seen: Seen, *, rules: Sequence[Rule], raised: Container[str]) -> list[AlertRaised]:
    """New alerts for the report seen; `raised` holds the ids of alerts already raised."""
    fired = (rule.check(seen) for rule in rules)
    return [alert for alert in fired if alert is not None and alert.alert_id not in raised]
