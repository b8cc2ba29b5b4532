"""A machine's life: terminal unbinding, stop-use suspension, mortgages and lender consent, its
fuel tank amended."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.service import Service

from tianmen_registry.adapters import counter_queries, queries
from tianmen_registry.domain import mortgages
from tianmen_registry.domain.commands import AmendFuelTank
from tianmen_registry.entrypoints.requests import ConsentIn, FuelTankIn, MortgageIn, SuspensionIn
from tianmen_registry.entrypoints.schemas import MachineView
from tianmen_registry.entrypoints.views import MortgageTotals, Pledged
from tianmen_registry.service_layer import machine_lifecycle as lifecycle

View = dict[str, Any]


def routes(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(tags=["machines"])

    def run(handler: Any, cmd: Any) -> Any:
        return run_command(service.engine, service.source, handler, cmd, clock())

    def machine(machine_id: str) -> View:
        with service.engine.connect() as conn:
            return queries.machine(conn, machine_id) or {}

    @router.delete(
        "/machines/{machine_id}/terminal", response_model=MachineView, responses=problems(404)
    )
    def unbind(machine_id: str, actor: str | None = None) -> View:
        run(lifecycle.unbind_terminal, lifecycle.UnbindTerminal(machine_id, actor))
        return machine(machine_id)

    @router.put(
        "/machines/{machine_id}/suspension",
        response_model=MachineView,
        responses=problems(404, 422),
    )
    def suspension(machine_id: str, body: SuspensionIn) -> View:
        run(lifecycle.set_suspension, lifecycle.SetSuspension(machine_id, **body.model_dump()))
        return machine(machine_id)

    @router.put(
        "/machines/{machine_id}/fuel-tank",
        response_model=MachineView,
        responses=problems(404, 422),
    )
    def amend_fuel_tank(machine_id: str, body: FuelTankIn) -> View:
        """The machine's fuel tank capacity amended (a tank replaced, a figure corrected):
        telemetry levels a JT/T 808 terminal's litres with it from this moment on."""
        run(lifecycle.amend_fuel_tank, AmendFuelTank(machine_id, **body.model_dump()))
        return machine(machine_id)

    @router.post(
        "/machines/{machine_id}/mortgages",
        status_code=201,
        response_model=Pledged,
        responses=problems(404, 409, 422),
    )
    def pledge(machine_id: str, body: MortgageIn) -> View:
        mortgage_id = run(
            lifecycle.register_mortgage, mortgages.RegisterMortgage(machine_id, **body.model_dump())
        )
        return {"mortgage_id": mortgage_id, "machine": machine(machine_id)}

    @router.delete(
        "/machines/{machine_id}/mortgages/{mortgage_id}",
        response_model=MachineView,
        responses=problems(404),
    )
    def release(machine_id: str, mortgage_id: str, actor: str | None = None) -> View:
        run(lifecycle.release_mortgage, mortgages.ReleaseMortgage(machine_id, mortgage_id, actor))
        return machine(machine_id)

    @router.put(
        "/machines/{machine_id}/mortgages/{mortgage_id}/consents",
        response_model=MachineView,
        responses=problems(404),
    )
    def consent(machine_id: str, mortgage_id: str, body: ConsentIn) -> View:
        cmd = mortgages.RecordLenderConsent(
            machine_id, mortgage_id, body.to_enterprise_id, body.actor
        )
        run(lifecycle.record_consent, cmd)
        return machine(machine_id)

    @router.get("/mortgage-stats/totals", response_model=MortgageTotals)
    def totals() -> list[View]:
        with service.engine.connect() as conn:
            return counter_queries.mortgage_totals(conn)

    return router
