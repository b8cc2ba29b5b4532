"""tianmen telemetry service."""
