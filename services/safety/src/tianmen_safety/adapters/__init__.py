"""Adapters: the projection tables, how events update them and how queries read them."""
