"""/api/v1/machines/{id}/…: the file, the certificate, and the commands on a machine's life."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_registry.entrypoints.schemas import (
    ConsentIn,
    FuelTankIn,
    MachineFile,
    MachineView,
    MaintenanceIn,
    MaintenanceRecords,
    MortgageIn,
    Pledged,
    SuspensionIn,
)

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OnceDep, ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes import forward

router = APIRouter(prefix="/api/v1/machines/{machine_id}", tags=["machines"])


def _at(machine_id: str, rest: str = "") -> str:
    return f"/machines/{segment(machine_id)}{rest}"


@router.get(
    "/file",
    response_model=MachineFile,
    summary="A machine's file: the machine, its full event history, terminals, mortgages",
    responses=problems(404, 422),
)
async def get_machine_file(machine_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await forward.read(upstreams, _at(machine_id, "/file"), MachineFile)


@router.get(
    "/certificate.pdf",
    response_class=Response,
    summary="The registration certificate, with the QR code of its public verification",
    responses={200: {"content": {"application/pdf": {}}}, **problems(404, 409, 422)},
)
async def get_certificate(machine_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await forward.document(upstreams, _at(machine_id, "/certificate.pdf"), "application/pdf")


@router.delete(
    "/terminal",
    response_model=MachineView,
    summary="Unbind the machine's terminal (its binding history stays)",
    responses=problems(404, 422),
)
async def unbind_terminal(machine_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    response = await upstreams.fetch(
        "registry", "DELETE", _at(machine_id, "/terminal"), MachineView
    )
    return response


@router.put(
    "/suspension",
    response_model=MachineView,
    summary="A stop-use order on the machine, or its lifting",
    responses=problems(404, 422),
)
async def set_suspension(
    machine_id: ResourceId, body: SuspensionIn, request: Request, upstreams: UpstreamsDep
) -> Response:
    path = _at(machine_id, "/suspension")
    return await forward.command(upstreams, "PUT", path, MachineView, request)


@router.put(
    "/fuel-tank",
    response_model=MachineView,
    summary="Amend the machine's fuel tank capacity (a tank replaced, a figure corrected); "
    "JT/T 808 litres are levelled with it from then on",
    responses=problems(404, 422),
)
async def amend_fuel_tank(
    machine_id: ResourceId, body: FuelTankIn, request: Request, upstreams: UpstreamsDep
) -> Response:
    path = _at(machine_id, "/fuel-tank")
    return await forward.command(upstreams, "PUT", path, MachineView, request)


@router.post(
    "/maintenance",
    status_code=201,
    response_model=MaintenanceRecords,
    summary="Record maintenance of the machine; answers its records",
    responses=problems(404, 422),
)
async def record_maintenance(
    machine_id: ResourceId,
    body: MaintenanceIn,
    request: Request,
    upstreams: UpstreamsDep,
    once: OnceDep,
) -> Response:
    path = _at(machine_id, "/maintenance")
    return await forward.command(upstreams, "POST", path, MaintenanceRecords, request, once)


@router.post(
    "/mortgages",
    status_code=201,
    response_model=Pledged,
    summary="Pledge the machine for a loan (one active pledge per machine)",
    responses=problems(404, 409, 422),
)
async def pledge_machine(
    machine_id: ResourceId,
    body: MortgageIn,
    request: Request,
    upstreams: UpstreamsDep,
    once: OnceDep,
) -> Response:
    path = _at(machine_id, "/mortgages")
    return await forward.command(upstreams, "POST", path, Pledged, request, once)


@router.delete(
    "/mortgages/{mortgage_id}",
    response_model=MachineView,
    summary="Release a mortgage",
    responses=problems(404, 422),
)
async def release_mortgage(
    machine_id: ResourceId, mortgage_id: ResourceId, upstreams: UpstreamsDep
) -> Response:
    path = _at(machine_id, f"/mortgages/{segment(mortgage_id)}")
    return await upstreams.fetch("registry", "DELETE", path, MachineView)


@router.put(
    "/mortgages/{mortgage_id}/consents",
    response_model=MachineView,
    summary="Record the lender's consent to transferring the pledged machine to a buyer",
    responses=problems(404, 422),
)
async def record_lender_consent(
    machine_id: ResourceId,
    mortgage_id: ResourceId,
    body: ConsentIn,
    request: Request,
    upstreams: UpstreamsDep,
) -> Response:
    path = _at(machine_id, f"/mortgages/{segment(mortgage_id)}/consents")
    return await forward.command(upstreams, "PUT", path, MachineView, request)
