"""/api/v1/machines: machines and their terminal bindings (registry)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from tianmen_events.registry import MachineKind
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
    "/search",
    response_model=Page[MachineView],
    summary="Machines the caller may see, filtered by jurisdiction (and every tier below it), "
    "kind, status, enterprise, high risk and pledge, by id, a page at a time",
    responses=problems(422),
)
async def search_machines(
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    jurisdiction_code: Annotated[str | None, Query(max_length=20)] = None,
    kind: MachineKind | None = None,
    status: Literal["pending", "registered", "suspended", "deregistered"] | None = None,
    enterprise_id: OptionalId = None,
    high_risk: bool | None = None,
    pledged: bool | None = None,
) -> Response:
    filters = given(
        jurisdiction_code=jurisdiction_code,
        kind=kind,
        status=status,
        enterprise_id=enterprise_id,
        high_risk=None if high_risk is None else str(high_risk).lower(),
        pledged=None if pledged is None else str(pledged).lower(),
    )
    params = own_enterprise(seen, {**filters, **page})

    async def keep(machine: MachineView) -> bool:
        return await seen.sees_enterprise(machine.enterprise_id)

    return await visible_page(upstreams, "registry", "/machines/search", MachineView, params, keep)


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
