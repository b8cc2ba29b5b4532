"""The composition root of the reports service."""

from __future__ import annotations

from functools import partial

from tianmen_events.topics import REPORTS_TIP, TELEMETRY_REPORT
from tianmen_runtime.projection import Subscription
from tianmen_runtime.service import Service

from tianmen_reports.adapters.media_store import LocalMediaStore, MediaStore
from tianmen_reports.adapters.orm import metadata
from tianmen_reports.adapters.s3_media_store import S3MediaStore
from tianmen_reports.config import Settings, get_settings
from tianmen_reports.domain.rules import Area, TipRules
from tianmen_reports.entrypoints.api import build_api
from tianmen_reports.service_layer.evidence import event_handlers


def media_store(settings: Settings) -> MediaStore:
    if settings.media_s3_bucket:
        return S3MediaStore.connect(settings.media_s3_endpoint, settings.media_s3_bucket)
    return LocalMediaStore(settings.media_dir)


def build(settings: Settings | None = None) -> Service:
    settings = settings or get_settings()
    rules = TipRules(area=Area(*settings.tip_area))
    return Service(
        name="reports",
        settings=settings,
        metadata=metadata,
        build_api=partial(
            build_api,
            rules=rules,
            media=media_store(settings),
            pseudonym_secret=settings.pseudonym_secret.get_secret_value().encode(),
            jurisdictions_file=settings.jurisdictions_file,
        ),
        produces=(REPORTS_TIP,),
        subscription=Subscription(
            "reports", "/tianmen/reports", (TELEMETRY_REPORT.name,), event_handlers()
        ),
    )
