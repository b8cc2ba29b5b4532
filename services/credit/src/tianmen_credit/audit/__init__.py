"""Audit of credit: history read from the log, as-of, what-if, bundles, divergence."""
