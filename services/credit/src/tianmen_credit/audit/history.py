"""Credit's history as the log holds it: the topics it counts, read into facts on two axes
(event time from the event, recorded time from the record's log timestamp)."""

from __future__ import annotations

from collections.abc import Iterable

from tianmen_events.topics import CREDIT_REPAIR, REGISTRY_MACHINE, REPORTS_TIP, SAFETY_ENTERPRISE
from tianmen_runtime.log_reader import Logged, read_log

from tianmen_credit.domain.facts import COUNTED, Fact, fact_of

TOPICS = (SAFETY_ENTERPRISE.name, REPORTS_TIP.name, REGISTRY_MACHINE.name, CREDIT_REPAIR.name)


def facts_of(entries: Iterable[Logged]) -> list[Fact]:
    return [f for e in entries for f in fact_of(e.event, e.meta.id, e.meta.time, e.recorded_at)]


def read_history(bootstrap_servers: str) -> list[Logged]:
    """Every event credit counts, in recorded order; what it does not count is left out."""
    entries = read_log(bootstrap_servers, TOPICS, client_id="credit-audit").entries
    return [e for e in entries if isinstance(e.event, COUNTED)]
