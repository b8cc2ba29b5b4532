"""The HTTP API: parse -> command -> handler in one transaction -> view. Errors are problem+json."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy import Connection
from tianmen_events.errors import NotFound
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, create_app, problems, wall_clock
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_registry.adapters import queries
from tianmen_registry.domain.commands import BindTerminal, RegisterEnterprise, RegisterMachine
from tianmen_registry.entrypoints import schemas
from tianmen_registry.entrypoints.routes import (
    applications,
    enterprise_changes,
    imports,
    jurisdictions,
    machine_lifecycle,
    machine_queries,
    sites,
)
from tianmen_registry.entrypoints.schemas import EnterpriseView, MachineView
from tianmen_registry.service_layer import handlers

View = dict[str, Any]


def build_api(service: Service, clock: Clock = wall_clock) -> FastAPI:
    app = create_app("Tianmen registry", ready=service.ready.is_set)
    app.include_router(machine_queries.routes(service))  # before /machines/{machine_id}
    app.include_router(enterprise_routes(service, clock))
    app.include_router(machine_routes(service, clock))
    app.include_router(enterprise_changes.routes(service, clock))
    app.include_router(machine_lifecycle.routes(service, clock))
    app.include_router(applications.routes(service, clock))
    app.include_router(imports.routes(service, clock))
    app.include_router(sites.routes(service, clock))
    app.include_router(jurisdictions.router)
    return app


def enterprise_routes(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/enterprises", tags=["enterprises"])

    @router.post("", status_code=201, response_model=EnterpriseView, responses=problems(409, 422))
    def register_enterprise(body: schemas.RegisterEnterpriseIn) -> View:
        fields = body.model_dump(exclude={"contacts"})
        cmd = RegisterEnterprise(
            **{**fields, "address": body.address or ""}, contacts=tuple(body.contacts)
        )
        enterprise_id = run_command(
            service.engine, service.source, handlers.register_enterprise, cmd, clock()
        )
        return _view(service, queries.enterprise, enterprise_id, "enterprise")

    @router.get("", responses=problems(422))
    def list_enterprises(
        cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
    ) -> Page[EnterpriseView]:
        """Every enterprise, by id, a page at a time."""
        key = decode_cursor(cursor, (str,)) if cursor else None
        with service.engine.connect() as conn:
            items, next_cursor = queries.enterprise_page(conn, key, limit)
        return Page[EnterpriseView].model_validate({"items": items, "next_cursor": next_cursor})

    @router.get("/{enterprise_id}", response_model=EnterpriseView, responses=problems(404))
    def get_enterprise(enterprise_id: str) -> View:
        return _view(service, queries.enterprise, enterprise_id, "enterprise")

    return router


def machine_routes(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/machines", tags=["machines"])

    @router.post("", status_code=201, response_model=MachineView, responses=problems(409, 422))
    def register_machine(body: schemas.RegisterMachineIn) -> View:
        cmd = RegisterMachine(**body.model_dump())
        machine_id = run_command(
            service.engine, service.source, handlers.register_machine, cmd, clock()
        )
        return _view(service, queries.machine, machine_id, "machine")

    @router.get("", responses=problems(422))
    def list_machines(
        enterprise_id: str | None = None, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
    ) -> Page[MachineView]:
        """Machines, of one enterprise or all, by id, a page at a time."""
        key = decode_cursor(cursor, (str,)) if cursor else None
        with service.engine.connect() as conn:
            items, next_cursor = queries.machine_page(conn, enterprise_id, key, limit)
        return Page[MachineView].model_validate({"items": items, "next_cursor": next_cursor})

    @router.get("/{machine_id}", response_model=MachineView, responses=problems(404))
    def get_machine(machine_id: str) -> View:
        return _view(service, queries.machine, machine_id, "machine")

    @router.put("/{machine_id}/terminal", response_model=MachineView, responses=problems(404, 409))
    def bind_terminal(machine_id: str, body: schemas.BindTerminalIn) -> View:
        cmd = BindTerminal(machine_id=machine_id, terminal_id=body.terminal_id)
        run_command(service.engine, service.source, handlers.bind_terminal, cmd, clock())
        return _view(service, queries.machine, machine_id, "machine")

    return router


def _view(
    service: Service, query: Callable[[Connection, str], View | None], key: str, what: str
) -> View:
    with service.engine.connect() as conn:
        view = query(conn, key)
    if view is None:
        raise NotFound(f"no {what} {key}", field=f"{what}_id")
    return view
