"""Use cases: the event handlers the subscription runs, each inside one unit of work."""
