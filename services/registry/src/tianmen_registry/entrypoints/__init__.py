"""The registry's edges: the HTTP API."""
