"""Use cases: the event handlers the projector runs, each inside one unit of work."""
