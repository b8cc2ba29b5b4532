"""HTTP edge of the reports service."""
