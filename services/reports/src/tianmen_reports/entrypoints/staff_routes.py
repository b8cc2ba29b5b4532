"""Staff-only endpoints (the gateway admits designated staff to `/staff`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.domain.commands import RevealContact
from tianmen_reports.entrypoints.schemas import ContactIn
from tianmen_reports.service_layer.confidentiality import erase, reveal_contact
from tianmen_reports.service_layer.moderation import Moderate, block_reporter, hide_tip


class RevealIn(BaseModel):
    actor: str = Field(min_length=1, max_length=64, description="Who asks: recorded in the audit")
    reason: str = Field(min_length=1, max_length=500)


Pseudonym = Annotated[str, Path(pattern="^[0-9a-f]{32}$", description="A reporter's pseudonym")]


class ModerateIn(BaseModel):
    actor: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=500)


class Revealed(BaseModel):
    tip_id: str
    contact: ContactIn


def staff_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/staff")

    @router.post("/tips/{tip_id}/reveal", summary="See a reporter's contact (audited event)")
    def reveal(tip_id: str, body: RevealIn) -> Revealed:
        cmd = RevealContact(tip_id=tip_id, actor=body.actor, reason=body.reason)
        contact = run_command(service.engine, service.source, reveal_contact, cmd, clock())
        return Revealed(tip_id=tip_id, contact=ContactIn(name=contact.name, phone=contact.phone))

    @router.delete(
        "/reporters/{reporter}", status_code=204, summary="Erase a reporter (crypto-shredding)"
    )
    def erase_reporter(reporter: str) -> Response:
        with unit_of_work(service.engine, service.source) as uow:
            erase(reporter, uow)
        return Response(status_code=204)

    @router.post("/tips/{tip_id}/hide", summary="Hide an abusive tip's text")
    def hide(tip_id: str, body: ModerateIn) -> Response:
        cmd = Moderate(tip_id, body.reason, body.actor)
        run_command(service.engine, service.source, hide_tip, cmd, clock())
        return Response(status_code=204)

    @router.post("/reporters/{reporter}/block", summary="Block a pseudonymous reporter")
    def block(reporter: Pseudonym, body: ModerateIn) -> Response:
        cmd = Moderate(reporter, body.reason, body.actor)
        run_command(service.engine, service.source, block_reporter, cmd, clock())
        return Response(status_code=204)

    return router
