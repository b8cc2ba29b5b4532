"""Topic definitions: name, what keys it, and its retention.

Domain topics keep everything (``retention.ms=-1``, ``cleanup.policy=delete``, never compacted):
they are the system of record that safety, credit and auditors replay. Raw terminal reports are
the opposite: high volume, compressed, kept for a bounded time and apart from domain topics.
Partition counts here are defaults; deployments override them by configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FOREVER = "-1"
SEVEN_DAYS_MS = str(7 * 24 * 3600 * 1000)
# The broker stamps each record as it appends it: what reached the log before what, the same
# live and in a replay. Telemetry judges a report by the registry's word recorded before it
# (decision 78), so the reports and the sites, permits and zones are stamped by the log.
# `registry.machine` and `safety.enterprise` keep the producer's time: credit's audit reads
# them "as known then" by record time, and an outside history (a migration from the old
# system, the audit's year in tests) is written with the times it was recorded at.
LOG_APPEND_TIME = {"message.timestamp.type": "LogAppendTime"}


@dataclass(frozen=True)
class Topic:
    name: str
    key: str
    partitions: int = 3
    config: dict[str, str] = field(default_factory=dict)


def _domain(name: str, key: str, **config: str) -> Topic:
    keep = {"retention.ms": FOREVER, "retention.bytes": "-1", "cleanup.policy": "delete"}
    return Topic(name, key, config={**keep, **config})


REGISTRY_ENTERPRISE = _domain("registry.enterprise", "enterprise_id")
REGISTRY_MACHINE = _domain("registry.machine", "machine_id")
# Enterprises' personal contact data (legal representative's and officers' phones): kept off
# `registry.enterprise`, which every service reads; only the staff-facing edge may consume it.
REGISTRY_ENTERPRISE_CONTACT = _domain("registry.enterprise_contact", "enterprise_id")
REGISTRY_APPLICATION = _domain("registry.application", "application_id")
# Work sites, their permits; restricted zones.
REGISTRY_SITE = _domain("registry.site", "site_id", **LOG_APPEND_TIME)
TELEMETRY_ALERT = _domain("telemetry.alert", "enterprise_id")
SAFETY_ENTERPRISE = _domain("safety.enterprise", "enterprise_id")
# The enforcement desk's docket: cases opened, decided and escalated, appeals. Keyed by the
# enterprise's docket, so one partition orders every decision that moves its ledger.
SAFETY_CASE = _domain("safety.case", "docket_id")
CREDIT_ENTERPRISE = _domain("credit.enterprise", "enterprise_id")
CREDIT_REPAIR = _domain("credit.repair", "repair_id")  # repair applications and decisions
REPORTS_TIP = _domain("reports.tip", "tip_id")
TELEMETRY_REPORT = Topic(
    "telemetry.report",
    "machine_id",
    partitions=6,
    config={
        "retention.ms": SEVEN_DAYS_MS,
        "cleanup.policy": "delete",
        "compression.type": "lz4",
        **LOG_APPEND_TIME,
    },
)

DOMAIN_TOPICS: tuple[Topic, ...] = (
    REGISTRY_ENTERPRISE,
    REGISTRY_MACHINE,
    REGISTRY_ENTERPRISE_CONTACT,
    REGISTRY_APPLICATION,
    REGISTRY_SITE,
    TELEMETRY_ALERT,
    SAFETY_ENTERPRISE,
    SAFETY_CASE,
    CREDIT_ENTERPRISE,
    CREDIT_REPAIR,
    REPORTS_TIP,
)
ALL_TOPICS: tuple[Topic, ...] = (*DOMAIN_TOPICS, TELEMETRY_REPORT)


def dead_letter(consumer: str) -> Topic:
    """The dead-letter topic beside a consumer: poison events with the reason, kept forever."""
    return _domain(f"{consumer}.dlq", "original key")


def by_name(name: str) -> Topic:
    for topic in ALL_TOPICS:
        if topic.name == name:
            return topic
    raise KeyError(name)
