"""The gateway's one adapter: HTTP calls to the services that own the data."""
