"""The composition root: the one place that builds the safety service from its parts."""

from __future__ import annotations

from functools import partial

from tianmen_events.topics import REPORTS_TIP, SAFETY_CASE, SAFETY_ENTERPRISE, TELEMETRY_ALERT
from tianmen_runtime.digest import DigestTable
from tianmen_runtime.projection import Subscription
from tianmen_runtime.service import Service

from tianmen_safety.adapters import campaign_rows, inspection_rows, order_rows, orm
from tianmen_safety.config import Settings, get_settings
from tianmen_safety.domain.case_rules import CASE_RULES, CaseRules
from tianmen_safety.domain.rules import RULES, PointsRules
from tianmen_safety.entrypoints.api import build_api
from tianmen_safety.service_layer.handlers import event_handlers, prepare, settle

TOPICS = (TELEMETRY_ALERT.name, REPORTS_TIP.name, SAFETY_CASE.name)
"""Alerts and verified tips open cases; the docket's own events (safety.case) move them."""

NAME = "safety"
SOURCE = f"/tianmen/{NAME}"


def build(
    settings: Settings | None = None,
    *,
    rules: PointsRules = RULES,
    case_rules: CaseRules = CASE_RULES,
) -> Service:
    handlers = event_handlers(rules, case_rules)
    subscription = Subscription(
        NAME,
        SOURCE,
        TOPICS,
        handlers,
        prepare=prepare(case_rules, rules),
        settle=settle(case_rules, rules),
        built_after_replay=orm.API_ONLY_INDEXES,
    )
    return Service(
        name=NAME,
        settings=settings or get_settings(),
        metadata=orm.metadata,
        build_api=partial(build_api, rules=rules),
        produces=(SAFETY_ENTERPRISE, SAFETY_CASE),
        subscription=subscription,
        digest_tables=(
            *orm.DIGEST_TABLES,
            *map(
                DigestTable, (order_rows.orders, campaign_rows.campaigns, campaign_rows.accidents)
            ),
            *map(DigestTable, inspection_rows.TABLES),
        ),
        event_log_digest=orm.LEDGER_LOG,
    )
