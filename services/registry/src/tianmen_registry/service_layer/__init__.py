"""Use cases: load the aggregate, decide, append events + outbox + projections in one transaction."""
