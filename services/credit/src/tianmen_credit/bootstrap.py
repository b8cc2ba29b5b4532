"""The composition root: the one place that builds the credit service from its parts."""

from __future__ import annotations

from functools import partial

from tianmen_events.topics import (
    CREDIT_ENTERPRISE,
    CREDIT_REPAIR,
    REGISTRY_MACHINE,
    REPORTS_TIP,
    SAFETY_ENTERPRISE,
)
from tianmen_runtime.projection import Subscription
from tianmen_runtime.service import Service

from tianmen_credit.adapters import orm
from tianmen_credit.adapters.memory import Ledgers
from tianmen_credit.adapters.models import current_model
from tianmen_credit.config import Settings, get_settings
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.entrypoints.api import build_api
from tianmen_credit.service_layer.handlers import event_handlers, read_ahead_for

NAME = "credit"
SOURCE = f"/tianmen/{NAME}"


def build(settings: Settings | None = None, *, model: ModelSpec | None = None) -> Service:
    model = model or current_model()
    memory = Ledgers()  # the consumer's, kept between its transactions
    subscription = Subscription(
        NAME,
        SOURCE,
        (SAFETY_ENTERPRISE.name, REPORTS_TIP.name, REGISTRY_MACHINE.name, CREDIT_REPAIR.name),
        event_handlers(model, memory),
        prepare=read_ahead_for(model, memory),
    )
    return Service(
        name=NAME,
        settings=settings or get_settings(),
        metadata=orm.metadata,
        build_api=partial(build_api, model=model),
        produces=(CREDIT_ENTERPRISE, CREDIT_REPAIR),
        subscription=subscription,
        digest_tables=orm.DIGEST_TABLES,
        event_log_digest=orm.LIVE_ROWS,
    )
