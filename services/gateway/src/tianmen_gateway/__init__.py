"""tianmen gateway service."""
