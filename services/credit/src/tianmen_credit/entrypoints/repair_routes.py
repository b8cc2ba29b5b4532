"""Credit repair over HTTP: the enterprise applies with evidence, staff decide (the gateway
decides who may call which)."""

from __future__ import annotations

from fastapi import APIRouter
from tianmen_events.errors import NotFound
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_credit.domain import repair
from tianmen_credit.domain.repair import Repair
from tianmen_credit.entrypoints.audit_schemas import DecisionIn, RepairIn, RepairView
from tianmen_credit.service_layer.repairs import (
    ApplyForRepair,
    DecideRepair,
    apply_for_repair,
    decide_repair,
    load,
)


def _view(state: Repair) -> RepairView:
    return RepairView(
        repair_id=state.repair_id,
        enterprise_id=state.enterprise_id,
        target_event_id=state.target_event_id,
        status=state.status,
        evidence=list(state.evidence),
    )


def repair_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter()

    @router.post(
        "/enterprises/{enterprise_id}/repairs", status_code=201, responses=problems(404, 409, 422)
    )
    def apply_repair(enterprise_id: str, body: RepairIn) -> RepairView:
        cmd = ApplyForRepair(enterprise_id, body.target_event_id, tuple(body.evidence))
        return _view(run_command(service.engine, service.source, apply_for_repair, cmd, clock()))

    @router.post(
        "/enterprises/{enterprise_id}/repairs/{repair_id}/decision",
        responses=problems(404, 409, 422),
    )
    def decide(enterprise_id: str, repair_id: str, body: DecisionIn) -> RepairView:
        cmd = DecideRepair(enterprise_id, repair_id, body.approved, body.decided_by, body.reason)
        return _view(run_command(service.engine, service.source, decide_repair, cmd, clock()))

    @router.get("/enterprises/{enterprise_id}/repairs/{repair_id}", responses=problems(404))
    def get_repair(enterprise_id: str, repair_id: str) -> RepairView:
        with unit_of_work(service.engine, service.source) as uow:
            state = repair.fold(load(uow, enterprise_id, repair_id))
        if state is None:
            raise NotFound("no such repair application", field="repair_id")
        return _view(state)

    return router
