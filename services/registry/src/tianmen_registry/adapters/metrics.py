"""The registry's own Prometheus metrics (beside the shared ones in tianmen_runtime.metrics)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter, Gauge

APPLICATIONS_OVERDUE = Counter(
    "tianmen_registry_applications_overdue_total",
    "Applications flagged overdue (past 2 working days after acceptance)",
)
REVIEWS_OVERDUE = Counter(
    "tianmen_registry_annual_reviews_overdue_total",
    "Machines flagged with an overdue annual review",
)
OVERDUE_OPEN = Gauge(
    "tianmen_registry_applications_overdue_open",
    "Accepted applications flagged overdue and still undecided (read from the store at scrape)",
)


def count_overdue_with(count: Callable[[], int]) -> None:
    """The gauge reads `count` at every scrape, so it is right in every replica and after a
    restart (a counter of flags raised would only know this process's sweeps)."""
    OVERDUE_OPEN.set_function(count)
