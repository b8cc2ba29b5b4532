"""Staff steps on a tip (`/staff/tips/{id}/…`); the reporter follows them in `reporter_routes`."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from tianmen_events.reports import TipOutcome
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.domain import commands as c
from tianmen_reports.domain.evidence import EvidenceRules, NearbyMachine
from tianmen_reports.domain.workflow import WorkflowRules
from tianmen_reports.entrypoints.schemas.progress import Progress
from tianmen_reports.service_layer.evidence import evidence_for
from tianmen_reports.service_layer.workflow import take_step

Staff = Field(min_length=1, max_length=64)


class AssignIn(BaseModel):
    assignee: str = Staff


class StartIn(BaseModel):
    verifier: str = Staff


class VerifyIn(BaseModel):
    verifier: str = Staff
    enterprise_id: str = Field(min_length=1, max_length=64)
    machine_id: str | None = Field(default=None, max_length=64)
    major_hazard: bool


class DismissIn(BaseModel):
    verifier: str = Staff
    outcome: TipOutcome
    reason: str = Field(min_length=1, max_length=500)


class MergeIn(BaseModel):
    into_tip_id: str = Field(min_length=1, max_length=64)
    actor: str = Staff


class CloseIn(BaseModel):
    actor: str = Staff


def workflow_router(service: Service, clock: Clock, rules: WorkflowRules) -> APIRouter:
    router = APIRouter()

    def step(cmd: c.StaffAction) -> Progress:
        tip = run_command(service.engine, service.source, take_step, cmd, clock(), rules)
        return Progress.of(tip)

    @router.get("/staff/tips/{tip_id}/evidence", summary="Machines whose tracks passed near")
    def evidence(
        tip_id: str,
        radius_m: Annotated[float, Query(gt=0, le=5000)] = 300.0,
        window_minutes: Annotated[int, Query(gt=0, le=24 * 60)] = 60,
    ) -> list[NearbyMachine]:
        rules = EvidenceRules(radius_m=radius_m, window=timedelta(minutes=window_minutes))
        with unit_of_work(service.engine, service.source) as uow:
            return evidence_for(tip_id, uow, rules)

    @router.post("/staff/tips/{tip_id}/assign", summary="Assign to a verifier")
    def assign(tip_id: str, body: AssignIn) -> Progress:
        return step(c.AssignTip(tip_id, body.assignee))

    @router.post("/staff/tips/{tip_id}/start", summary="Start verifying on site")
    def start(tip_id: str, body: StartIn) -> Progress:
        return step(c.StartVerification(tip_id, body.verifier))

    @router.post("/staff/tips/{tip_id}/verify", summary="Found true: machine, enterprise, hazard")
    def verify(tip_id: str, body: VerifyIn) -> Progress:
        return step(
            c.VerifyTip(
                tip_id, body.verifier, body.enterprise_id, body.major_hazard, body.machine_id
            )
        )

    @router.post("/staff/tips/{tip_id}/dismiss", summary="Unfounded or out of scope")
    def dismiss(tip_id: str, body: DismissIn) -> Progress:
        return step(c.DismissTip(tip_id, body.verifier, body.outcome, body.reason))

    @router.post("/staff/tips/{tip_id}/merge", summary="A duplicate of an earlier tip")
    def merge(tip_id: str, body: MergeIn) -> Progress:
        return step(c.MergeTip(tip_id, body.into_tip_id, body.actor))

    @router.post("/staff/tips/{tip_id}/reward/pay", summary="Record the reward as paid")
    def pay_reward(tip_id: str, body: CloseIn) -> Progress:
        return step(c.PayReward(tip_id, body.actor))

    @router.post("/staff/tips/{tip_id}/close", summary="Close a decided tip")
    def close(tip_id: str, body: CloseIn) -> Progress:
        return step(c.CloseTip(tip_id, body.actor))

    return router
