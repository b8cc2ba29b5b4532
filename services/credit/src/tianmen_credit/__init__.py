"""tianmen credit service."""
