"""Views the gateway composes from several services."""
