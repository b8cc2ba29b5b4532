"""Open311 GeoReport v2 (JSON): services = our categories, requests = tips, status back.

Existing civic-reporting clients post form-encoded requests with lat/long, description and a
media URL, and poll the request's status (open/closed) with status notes. Errors stay
problem+json naming the field, as everywhere else in the suite.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form
from pydantic import BaseModel
from tianmen_events.reports import TipCategory
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.adapters.contacts import pseudonym
from tianmen_reports.domain.commands import Contact, SubmitTip
from tianmen_reports.domain.tip import Tip, TipStatus
from tianmen_reports.service_layer.handlers import Intake, submit_tip
from tianmen_reports.service_layer.workflow import load_tip

NAMES = {
    TipCategory.ILLEGAL_OPERATION: "非法操作 Illegal operation",
    TipCategory.UNLICENSED_OPERATION: "无证作业 Unlicensed operator",
    TipCategory.NIGHT_WORK: "夜间施工 Night work",
    TipCategory.SAFETY_HAZARD: "安全隐患 Safety hazard",
    TipCategory.UNSAFE_HOISTING: "起重机械隐患 Unsafe hoisting machinery",
    TipCategory.DUST_AND_NOISE: "扬尘噪声 Dust and noise",
    TipCategory.OTHER: "其他 Other",
}


class Service311(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool = False
    type: str = "realtime"
    keywords: str = ""
    group: str = "construction machinery"


class Created311(BaseModel):
    service_request_id: str
    service_notice: str = "Thank you: follow the status with this id"
    account_id: str | None = None


class Request311(BaseModel):
    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    requested_datetime: datetime
    updated_datetime: datetime
    lat: float
    long: float
    media_url: str | None

    @classmethod
    def of(cls, tip: Tip) -> Request311:
        last = tip.steps[-1]
        notes = f"duplicate of {tip.merged_into}" if tip.merged_into else last.status.value
        closed = last.status not in (TipStatus.SUBMITTED, TipStatus.ASSIGNED, TipStatus.VERIFYING)
        return cls(
            service_request_id=tip.tip_id,
            status="closed" if closed else "open",
            status_notes=notes,
            service_name=NAMES[tip.category],
            service_code=tip.category.value,
            description=tip.description,
            requested_datetime=tip.submitted_at,
            updated_datetime=last.at,
            lat=tip.latitude,
            long=tip.longitude,
            media_url=tip.photo_urls[0] if tip.photo_urls else None,
        )


def open311_router(service: Service, clock: Clock, intake: Intake, secret: bytes) -> APIRouter:
    router = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"])

    @router.get("/services.json", summary="Service list: the tip categories")
    def services() -> list[Service311]:
        return [
            Service311(service_code=code.value, service_name=name, description=name)
            for code, name in NAMES.items()
        ]

    @router.post("/requests.json", status_code=201, summary="Create a service request (a tip)")
    def create(
        service_code: Annotated[TipCategory, Form()],
        lat: Annotated[float, Form()],
        long: Annotated[float, Form()],
        description: Annotated[str, Form()],
        media_url: Annotated[str | None, Form()] = None,
        first_name: Annotated[str | None, Form()] = None,
        last_name: Annotated[str | None, Form()] = None,
        phone: Annotated[str | None, Form()] = None,
    ) -> list[Created311]:
        name = " ".join(p for p in (last_name, first_name) if p) or None
        contact = Contact(name, phone) if name or phone else None
        tip_id = str(uuid.uuid4())
        cmd = SubmitTip(
            tip_id=tip_id,
            reporter=pseudonym(secret, f"tip:{tip_id}"),
            category=service_code,
            description=description,
            latitude=lat,
            longitude=long,
            anonymous=contact is None,
            photo_urls=(media_url,) if media_url else (),
            contact=contact,
        )
        submitted = run_command(service.engine, service.source, submit_tip, cmd, clock(), intake)
        return [Created311(service_request_id=submitted.tip.tip_id)]

    @router.get("/requests/{request_id}.json", summary="A service request's status")
    def status(request_id: str) -> list[Request311]:
        with unit_of_work(service.engine, service.source) as uow:
            return [Request311.of(load_tip(uow, request_id)[0])]

    return router
