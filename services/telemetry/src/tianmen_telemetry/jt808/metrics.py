"""Prometheus metrics of the JT/T 808 server (on the service's /metrics)."""

from __future__ import annotations

from functools import cache

from prometheus_client import Counter, Gauge

CONNECTIONS = Gauge("tianmen_jt808_connections", "Open terminal connections")
ONLINE = Gauge("tianmen_jt808_terminals_online", "Terminals logged in (text messages reach them)")
CONNECTIONS_CLOSED = Counter(
    "tianmen_jt808_connections_closed_total",
    "Terminal connections closed, by reason (eof, idle, reset, error, over_limit)",
    ["reason"],
)
MESSAGES = Counter(
    "tianmen_jt808_messages_total", "Messages received from terminals, by id", ["message"]
)
PROTOCOL_ERRORS = Counter(
    "tianmen_jt808_protocol_errors_total", "Frames or bodies refused, by error", ["error"]
)
TERMINALS_REFUSED = Counter(
    "tianmen_jt808_terminals_refused_total",
    "Registrations and authentications refused (unbound terminal, wrong auth code)",
    ["reason"],
)
REPORTS = Counter(
    "tianmen_jt808_reports_total",
    "Location reports, by outcome (accepted, refused, unconfirmed, unpositioned)",
    ["outcome"],
)
TEXT_MESSAGES = Counter(
    "tianmen_jt808_text_messages_total",
    "Text messages sent to terminals, by outcome (the terminal's result, timeout, offline)",
    ["outcome"],
)
ITEMS_IGNORED = Counter(
    "tianmen_jt808_items_ignored_total",
    "Location additional items ignored as malformed (wrong length, not a text), by item id",
    ["item"],
)
FUEL_LEVELS_UNKNOWN = Counter(
    "tianmen_jt808_fuel_levels_unknown_total",
    "Reports whose fuel litres gave no level, by reason (no_tank: none registered; over_tank)",
    ["reason"],
)


@cache
def message_received(message_id: int) -> Counter:
    """The counter of one message id (bound once: this runs for every message)."""
    return MESSAGES.labels(f"0x{message_id:04x}")


@cache
def item_ignored(item_id: int) -> Counter:
    return ITEMS_IGNORED.labels(f"0x{item_id:02x}")


@cache
def fuel_level_unknown(reason: str) -> Counter:
    return FUEL_LEVELS_UNKNOWN.labels(reason)


@cache
def report_outcome(outcome: str) -> Counter:
    return REPORTS.labels(outcome)
