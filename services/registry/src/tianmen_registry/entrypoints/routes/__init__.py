"""Routers of the registry API, one per resource or use case."""
