"""Storage of the registry's query tables."""
