"""Open311 GeoReport v2 (JSON): services = our categories, requests = tips, status back.

Existing civic-reporting clients post form-encoded requests with lat/long, description and a
media URL, and poll the request's status (open/closed) with status notes. Errors stay
problem+json naming the field, as everywhere else in the suite. Through the gateway, a citizen's
id arrives in `X-Reporter-Id`: their requests are theirs (one pseudonym with their JSON tips, the
same daily limit), and a status read with it answers only their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Form, Response
from tianmen_events import derive_id
from tianmen_events.errors import DomainError, NotFound
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.adapters import tip_index
from tianmen_reports.adapters.contacts import pseudonym
from tianmen_reports.domain.commands import Contact, SubmitTip
from tianmen_reports.domain.tip import Tip
from tianmen_reports.entrypoints.schemas import IdempotencyKey, ReporterId
from tianmen_reports.entrypoints.schemas.open311 import (
    Created311,
    Request311,
    Request311In,
    Service311,
    services,
)
from tianmen_reports.service_layer.handlers import Intake, submit_tip
from tianmen_reports.service_layer.workflow import load_tip

MAX_LISTED = 100
"""A list answers the reporter's latest requests, at most this many."""
RENAMED = {
    "latitude": "lat",
    "longitude": "long",
    "category": "service_code",
    "photo_urls": "media_url",
    "photo_urls.0": "media_url",
}


def open311_router(service: Service, clock: Clock, intake: Intake, secret: bytes) -> APIRouter:
    router = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"])

    @router.get("/services.json", summary="Service list: the tip categories")
    def list_services() -> list[Service311]:
        return services()

    @router.post(
        "/requests.json",
        status_code=201,
        summary="Create a service request (a tip)",
        responses=problems(403, 422, 429),
    )
    def create(
        form: Annotated[Request311In, Form()],
        response: Response,
        key: IdempotencyKey = None,
        who: ReporterId = None,
    ) -> list[Created311]:
        name, phone = form.contact()
        contact = Contact(name, phone) if name or phone else None
        tip_id = derive_id("tip", key) if key else str(uuid.uuid4())
        cmd = SubmitTip(
            tip_id=tip_id,
            reporter=pseudonym(secret, who or f"tip:{tip_id}"),
            category=form.service_code,
            description=form.description,
            latitude=form.lat,
            longitude=form.long,
            anonymous=contact is None,
            photo_urls=(form.media_url,) if form.media_url else (),
            contact=contact,
        )
        with open311_names():
            submitted = run_command(
                service.engine, service.source, submit_tip, cmd, clock(), intake
            )
        if not submitted.created:
            response.status_code = 200
        return [Created311(service_request_id=submitted.tip.tip_id)]

    @router.get(
        "/requests.json",
        summary="The reporter's own latest requests (X-Reporter-Id), newest first",
        responses=problems(422),
    )
    def list_requests(who: ReporterId = None) -> list[Request311]:
        if who is None:
            raise DomainError("a list is of one reporter's own requests", field="X-Reporter-Id")
        with unit_of_work(service.engine, service.source) as uow:
            ids = tip_index.latest_of(uow.conn, pseudonym(secret, who), MAX_LISTED)
            return [Request311.of(load_tip(uow, tip_id)[0]) for tip_id in ids]

    @router.get(
        "/requests/{request_id}.json",
        summary="A service request's status",
        responses=problems(404),
    )
    def status(request_id: str, who: ReporterId = None) -> list[Request311]:
        with unit_of_work(service.engine, service.source) as uow:
            tip = load_tip(uow, request_id)[0]
        return [Request311.of(mine(tip, who, secret))]

    return router


@contextmanager
def open311_names() -> Iterator[None]:
    """A refusal names the field as the client sent it (`lat`, not the tip's `latitude`)."""
    try:
        yield
    except DomainError as exc:
        exc.field = RENAMED.get(exc.field or "", exc.field)
        raise


def mine(tip: Tip, who: str | None, secret: bytes) -> Tip:
    """The tip, unless `who` (a citizen, named by the gateway) did not send it: then it is
    missing to them (404), as if it did not exist."""
    if who is not None and tip.reporter != pseudonym(secret, who):
        raise NotFound(f"no tip {tip.tip_id}", field="tip_id")
    return tip
