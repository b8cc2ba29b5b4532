"""Prometheus metrics every service exposes on /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_PROCESSED = Counter(
    "tianmen_events_processed_total",
    "Events a consumer finished with, by outcome (applied, duplicate, ignored, dead_lettered)",
    ["consumer", "outcome"],
)
HANDLER_LATENCY = Histogram(
    "tianmen_handler_latency_seconds", "Time to apply one event in its transaction", ["consumer"]
)
CONSUMER_LAG = Gauge(
    "tianmen_consumer_lag", "Messages behind the end of the partition", ["consumer", "topic"]
)
EVENTS_PUBLISHED = Counter(
    "tianmen_events_published_total", "Outbox events the relay published", ["topic"]
)
OUTBOX_PENDING = Gauge("tianmen_outbox_pending", "Outbox events not yet published")
HTTP_LATENCY = Histogram(
    "tianmen_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route", "status"],
)
ALERTS_RAISED = Counter("tianmen_alerts_raised_total", "Alerts raised by rule", ["rule"])
DEAD_LETTERS_PENDING = Gauge(
    "tianmen_dead_letters_pending",
    "Records in the consumer's dead-letter topic not yet redriven (`<service> redrive`)",
    ["consumer"],
)
