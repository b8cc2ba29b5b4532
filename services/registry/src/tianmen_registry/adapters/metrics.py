"""The registry's own Prometheus metrics (beside the shared ones in tianmen_runtime.metrics)."""

from __future__ import annotations

from prometheus_client import Counter

APPLICATIONS_OVERDUE = Counter(
    "tianmen_registry_applications_overdue_total",
    "Applications flagged overdue (past 2 working days after acceptance)",
)
REVIEWS_OVERDUE = Counter(
    "tianmen_registry_annual_reviews_overdue_total",
    "Machines flagged with an overdue annual review",
)
