"""Per-machine daily usage (`domain/usage.py`) over `telemetry.report`, two ways measured side by
side (`make bench-telemetry`): Faust tables (`faust_app`) and the plain batched loop (`plain`)."""
