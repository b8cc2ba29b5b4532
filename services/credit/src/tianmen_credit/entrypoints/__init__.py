"""Entrypoints: the HTTP query API (the consumer and replay come from tianmen_runtime)."""
