"""/api/v1/machines: machines and their terminal bindings (registry)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_registry.entrypoints.schemas import BindTerminalIn, MachineView, RegisterMachineIn
from tianmen_runtime.pages import Page

from tianmen_gateway.adapters.upstream import answer, segment
from tianmen_gateway.entrypoints.deps import (
    OnceDep,
    OptionalId,
    Paging,
    ResourceId,
    UpstreamsDep,
    given,
)
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.service_layer.scoped import own_enterprise, visible_page

router = APIRouter(prefix="/api/v1/machines", tags=["machines"])


@router.post(
    "",
    status_code=201,
    response_model=MachineView,
    summary="Register a machine of an enterprise",
    responses=problems(409, 422),
)
async def register_machine(
    body: RegisterMachineIn, request: Request, upstreams: UpstreamsDep, once: OnceDep
) -> Response:
    content = await request.body()
    return await once(
        content,
        lambda: upstreams.fetch("registry", "POST", "/machines", MachineView, content=content),
    )


@router.get(
    "",
    response_model=Page[MachineView],
    summary="Machines the caller may see, of one enterprise or all, by id, a page at a time",
    responses=problems(422),
)
async def list_machines(
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    enterprise_id: OptionalId = None,
) -> Response:
    params = own_enterprise(seen, {**given(enterprise_id=enterprise_id), **page})

    async def keep(machine: MachineView) -> bool:
        return await seen.sees_enterprise(machine.enterprise_id)

    return await visible_page(upstreams, "registry", "/machines", MachineView, params, keep)


@router.get(
    "/{machine_id}",
    response_model=MachineView,
    summary="A machine",
    responses=problems(404, 422),
)
async def get_machine(
    machine_id: ResourceId, upstreams: UpstreamsDep, seen: VisibilityDep
) -> Response:
    path = f"/machines/{segment(machine_id)}"
    fetched = seen.fetched.get(path)  # the scope check's answer, of this same request
    response = fetched if fetched is not None else await upstreams.call("registry", "GET", path)
    return answer("registry", response, MachineView)


@router.put(
    "/{machine_id}/terminal",
    response_model=MachineView,
    summary="Bind a telemetry terminal to a machine",
    responses=problems(404, 409, 422),
)
async def bind_terminal(
    machine_id: ResourceId, body: BindTerminalIn, request: Request, upstreams: UpstreamsDep
) -> Response:
    path = f"/machines/{segment(machine_id)}/terminal"
    content = await request.body()
    return await upstreams.fetch("registry", "PUT", path, MachineView, content=content)
