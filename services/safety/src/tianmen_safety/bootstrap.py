"""The composition root: the one place that builds the safety service from its parts."""

from __future__ import annotations

from functools import partial

from tianmen_events.topics import SAFETY_ENTERPRISE, TELEMETRY_ALERT
from tianmen_runtime.projection import Subscription
from tianmen_runtime.service import Service

from tianmen_safety.adapters import orm
from tianmen_safety.config import Settings, get_settings
from tianmen_safety.domain.rules import RULES, PointsRules
from tianmen_safety.entrypoints.api import build_api
from tianmen_safety.service_layer.handlers import event_handlers, read_ahead

NAME = "safety"
SOURCE = f"/tianmen/{NAME}"


def build(settings: Settings | None = None, *, rules: PointsRules = RULES) -> Service:
    subscription = Subscription(
        NAME, SOURCE, (TELEMETRY_ALERT.name,), event_handlers(rules), prepare=read_ahead
    )
    return Service(
        name=NAME,
        settings=settings or get_settings(),
        metadata=orm.metadata,
        build_api=partial(build_api, rules=rules),
        produces=(SAFETY_ENTERPRISE,),
        subscription=subscription,
        digest_tables=orm.DIGEST_TABLES,
    )
