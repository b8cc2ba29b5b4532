"""/api/v1/tips/{id}/…: staff take a tip through verification (reports): assign it to
themselves, start verifying on site, then find it true (the enterprise and machine) or dismiss
it with a reason. Reports records the caller the gateway vouches for as the one who acted."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from tianmen_events.reports import TipOutcome
from tianmen_reports.entrypoints.schemas.progress import Progress

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.principal import Principal

router = APIRouter(prefix="/api/v1/tips", tags=["tips"])
STEP: dict[str, Any] = {"response_model": Progress, "responses": problems(404, 409, 422)}


class VerifyTipIn(BaseModel):
    enterprise_id: str = Field(min_length=1, max_length=64)
    machine_id: str | None = Field(default=None, max_length=64)
    major_hazard: bool


class DismissTipIn(BaseModel):
    outcome: TipOutcome
    reason: str = Field(min_length=1, max_length=500)


async def _step(upstreams: UpstreamsDep, tip_id: str, step: str, body: dict[str, Any]) -> Response:
    path = f"/staff/tips/{segment(tip_id)}/{step}"
    content = json.dumps(body, ensure_ascii=False).encode()
    return await upstreams.fetch("reports", "POST", path, Progress, content=content)


def _subject(request: Request) -> str:
    principal: Principal = request.state.principal
    return principal.subject


@router.post("/{tip_id}/assign", summary="Take a tip: assigned to the caller", **STEP)
async def assign_tip(tip_id: ResourceId, request: Request, upstreams: UpstreamsDep) -> Response:
    return await _step(upstreams, tip_id, "assign", {"assignee": _subject(request)})


@router.post("/{tip_id}/start", summary="Start verifying an assigned tip on site", **STEP)
async def start_tip_verification(
    tip_id: ResourceId, request: Request, upstreams: UpstreamsDep
) -> Response:
    return await _step(upstreams, tip_id, "start", {"verifier": _subject(request)})


@router.post("/{tip_id}/verify", summary="Found true: the enterprise, machine, hazard", **STEP)
async def verify_tip(
    tip_id: ResourceId, body: VerifyTipIn, request: Request, upstreams: UpstreamsDep
) -> Response:
    found = {**body.model_dump(), "verifier": _subject(request)}
    return await _step(upstreams, tip_id, "verify", found)


@router.post("/{tip_id}/dismiss", summary="Unfounded or out of scope, with a reason", **STEP)
async def dismiss_tip(
    tip_id: ResourceId, body: DismissTipIn, request: Request, upstreams: UpstreamsDep
) -> Response:
    found = {**body.model_dump(mode="json"), "verifier": _subject(request)}
    return await _step(upstreams, tip_id, "dismiss", found)
