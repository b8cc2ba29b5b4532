"""Use cases of the reports service."""
