"""tianmen registry service."""
