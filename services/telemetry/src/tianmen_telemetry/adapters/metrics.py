"""Telemetry's own metrics, on the default registry the runtime's `/metrics` serves."""

from __future__ import annotations

from prometheus_client import Counter

DATA_QUALITY_FINDINGS = Counter(
    "tianmen_telemetry_data_quality_findings_total",
    "Reports set aside as data-quality findings instead of positions, by finding",
    ["finding"],
)

ALERTS_CLEARED = Counter(
    "tianmen_alerts_cleared_total", "Open alerts cleared (AlertCleared), by rule", ["rule"]
)
