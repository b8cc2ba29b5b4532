"""/api/v1/machines: machines and their terminal bindings (registry)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.schemas.problems import problems
from tianmen_gateway.entrypoints.schemas.registry import (
    MachineCreate,
    MachineView,
    TerminalBinding,
)

router = APIRouter(prefix="/api/v1/machines", tags=["machines"])


@router.post(
    "",
    status_code=201,
    response_model=MachineView,
    summary="Register a machine of an enterprise",
    responses=problems(409, 422),
)
async def register_machine(
    body: MachineCreate, request: Request, upstreams: UpstreamsDep
) -> Response:
    return await upstreams.forward("registry", "POST", "/machines", content=await request.body())


@router.get(
    "/{machine_id}",
    response_model=MachineView,
    summary="A machine",
    responses=problems(404, 422),
)
async def get_machine(machine_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await upstreams.forward("registry", "GET", f"/machines/{segment(machine_id)}")


@router.put(
    "/{machine_id}/terminal",
    response_model=MachineView,
    summary="Bind a telemetry terminal to a machine",
    responses=problems(404, 409, 422),
)
async def bind_terminal(
    machine_id: ResourceId, body: TerminalBinding, request: Request, upstreams: UpstreamsDep
) -> Response:
    path = f"/machines/{segment(machine_id)}/terminal"
    return await upstreams.forward("registry", "PUT", path, content=await request.body())
