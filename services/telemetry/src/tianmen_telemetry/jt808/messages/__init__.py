"""Message bodies, one module per family; each body is a frozen dataclass with `encode`/`decode`."""
