"""`column IN (ids)` with the ids as one parameter: the runtime's (its duplicate guard asks
the same way), named here for telemetry's adapters."""

from tianmen_runtime.among import DIALECTS, among, ids_for, per_dialect

__all__ = ["DIALECTS", "among", "ids_for", "per_dialect"]
