"""Telemetry's pure domain: reports in, live state folded, alerts decided by versioned rules."""
