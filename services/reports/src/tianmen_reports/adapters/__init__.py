"""Storage of what the reports service keeps beside its event store."""
