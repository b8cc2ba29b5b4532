"""The composition root of the gateway: no tables, no topics, no subscription."""

from __future__ import annotations

from sqlalchemy import MetaData
from tianmen_runtime.service import Service

from tianmen_gateway.config import Settings, get_settings
from tianmen_gateway.entrypoints.api import build_api


def build(settings: Settings | None = None) -> Service:
    return Service(
        name="gateway",
        settings=settings or get_settings(),
        metadata=MetaData(),
        build_api=build_api,
        produces=(),
        subscription=None,
    )
