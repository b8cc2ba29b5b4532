"""tianmen safety service."""
