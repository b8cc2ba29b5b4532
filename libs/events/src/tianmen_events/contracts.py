"""Imports every contract package so each registers its events in the catalog."""

from tianmen_events import credit, registry, reports, safety, telemetry
from tianmen_events.safety import cases as safety_cases
from tianmen_events.safety import inspections as safety_inspections
from tianmen_events.safety import orders as safety_orders

__all__ = [
    "credit",
    "registry",
    "reports",
    "safety",
    "safety_cases",
    "safety_inspections",
    "safety_orders",
    "telemetry",
]
