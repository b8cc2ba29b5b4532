"""Imports every contract package so each registers its events in the catalog."""

from tianmen_events import credit, registry, reports, safety, telemetry

__all__ = ["credit", "registry", "reports", "safety", "telemetry"]
