"""The composition root of the gateway: one table (idempotency keys), no topics, no subscription."""

from __future__ import annotations

from tianmen_runtime.service import Service

from tianmen_gateway.adapters import idempotency_store
from tianmen_gateway.config import Settings, get_settings
from tianmen_gateway.entrypoints.api import build_api


def build(settings: Settings | None = None) -> Service:
    return Service(
        name="gateway",
        settings=settings or get_settings(),
        metadata=idempotency_store.metadata,
        build_api=build_api,
        produces=(),
        subscription=None,
        verifies_identity=False,  # it verifies the callers' tokens, and vouches for them
    )
