"""The online counter: attachments, applications and the clerk's decisions, handling times."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Request
from tianmen_events.errors import DomainError, NotFound
from tianmen_events.registry import Attachment
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.service import Service

from tianmen_registry.adapters import counter_queries
from tianmen_registry.adapters.metrics import (
    APPLICATIONS_OVERDUE,
    REVIEWS_OVERDUE,
    count_overdue_with,
)
from tianmen_registry.domain.submissions import SubmitApplication
from tianmen_registry.entrypoints import views
from tianmen_registry.entrypoints.requests import DecisionIn, SubmitIn, SweepIn
from tianmen_registry.service_layer import applications, attachments
from tianmen_registry.service_layer.machine_lifecycle import flag_reviews_overdue

View = dict[str, Any]


def routes(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(tags=["applications"])

    def run(handler: Any, cmd: Any, now: datetime | None = None) -> Any:
        return run_command(service.engine, service.source, handler, cmd, now or clock())

    def view(application_id: str) -> View:
        with service.engine.connect() as conn:
            found = counter_queries.application(conn, service.source, application_id)
        if found is None:
            raise NotFound(f"no application {application_id}", field="application_id")
        return found

    @router.post(
        "/attachments",
        status_code=201,
        response_model=views.StoredAttachment,
        responses=problems(422),
    )
    async def upload(request: Request, content_type: Annotated[str, Header()] = "") -> View:
        media_type = content_type.split(";")[0].strip()
        attachment_id = run(attachments.store, (media_type, await request.body()))
        return {"attachment_id": attachment_id, "media_type": media_type}

    @router.post(
        "/applications",
        status_code=201,
        response_model=views.ApplicationView,
        responses=problems(404, 409, 422),
    )
    def submit(body: SubmitIn) -> View:
        files = tuple(
            Attachment(attachment_id=a.attachment_id, type=a.type, media_type="", size=0, sha256="")
            for a in body.attachments
        )
        cmd = SubmitApplication(
            **{**body.model_dump(exclude={"attachments"}), "attachments": files}
        )
        return view(run(applications.submit, cmd))

    @router.get(
        "/applications/{application_id}",
        response_model=views.ApplicationView,
        responses=problems(404),
    )
    def get(application_id: str) -> View:
        return view(application_id)

    @router.post(
        "/applications/{application_id}/{action}",
        response_model=views.ApplicationView,
        responses=problems(404, 409, 422),
    )
    def decide(
        application_id: str,
        action: Literal["accept", "approve", "reject", "withdraw"],
        body: DecisionIn,
    ) -> View:
        run(
            applications.decide,
            applications.Decide(application_id, action, body.reason, body.actor),
        )
        return view(application_id)

    def overdue_now() -> int:
        with service.engine.connect() as conn:
            return counter_queries.open_overdue(conn)

    count_overdue_with(overdue_now)

    def judged(as_of: datetime) -> datetime:
        """A sweep judges the past only: an `as_of` ahead of the clock would flag early."""
        if as_of > clock():
            raise DomainError("a sweep cannot judge a time still to come", field="as_of")
        return as_of

    @router.post("/application-sweeps/overdue", response_model=views.Swept, responses=problems(422))
    def sweep(body: SweepIn) -> View:
        judged(body.as_of)
        flagged = int(run(applications.flag_overdue, body.as_of, body.as_of))
        APPLICATIONS_OVERDUE.inc(flagged)
        return {"flagged": flagged}

    @router.post(
        "/machine-sweeps/annual-review-overdue", response_model=views.Swept, responses=problems(422)
    )
    def review_sweep(body: SweepIn) -> View:
        judged(body.as_of)
        flagged = int(run(flag_reviews_overdue, body.as_of, body.as_of))
        REVIEWS_OVERDUE.inc(flagged)
        return {"flagged": flagged}

    @router.get("/application-stats/handling-times", response_model=views.HandlingTimes)
    def handling_times(period: Literal["month", "year"] = "month") -> list[View]:
        with service.engine.connect() as conn:
            return counter_queries.handling_times(conn, 7 if period == "month" else 4)

    return router
