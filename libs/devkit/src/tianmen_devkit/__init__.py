"""Local development kit: a real Kafka broker without Docker, and broker choice for tests."""
