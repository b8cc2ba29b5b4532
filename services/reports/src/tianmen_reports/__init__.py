"""tianmen reports service."""
