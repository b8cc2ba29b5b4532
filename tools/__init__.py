"""Repository tools run by make targets (not part of any service)."""
