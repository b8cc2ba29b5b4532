"""Finding machines: search with filters, a machine's file, an enterprise's file, and the
public verification page the QR code on the plate leads to."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from tianmen_events.errors import Conflict, NotFound
from tianmen_events.registry import MachineKind
from tianmen_runtime.http import problems
from tianmen_runtime.pages import Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_registry.adapters import counter_queries, machine_queries, queries, reference
from tianmen_registry.adapters.certificate import certificate_pdf
from tianmen_registry.adapters.machine_queries import MachineFilter
from tianmen_registry.config import get_settings
from tianmen_registry.domain.machine_state import Status
from tianmen_registry.entrypoints.schemas import JurisdictionCode, MachineView
from tianmen_registry.entrypoints.views import (
    EnterpriseFile,
    MachineFile,
    PledgeView,
    Verification,
)

View = dict[str, Any]


def _below(code: str) -> frozenset[str]:
    """The jurisdiction and every one under it (a station's townships, the city's all)."""
    jurisdictions = reference.current().jurisdictions
    found, todo = {jurisdictions.get(code).code}, [code]
    while todo:
        children = [child.code for child in jurisdictions.children(todo.pop())]
        found.update(children)
        todo.extend(children)
    return frozenset(found)


def machine_filter(
    jurisdiction_code: Annotated[JurisdictionCode | None, Query()] = None,
    kind: MachineKind | None = None,
    status: Status | None = None,
    enterprise_id: Annotated[str | None, Query(max_length=64)] = None,
    high_risk: bool | None = None,
    pledged: bool | None = None,
) -> MachineFilter:
    """The search's filters, each optional; a jurisdiction covers every one below it."""
    scope = None if jurisdiction_code is None else _below(jurisdiction_code)
    return MachineFilter(scope, kind, status, enterprise_id, high_risk, pledged)


def routes(service: Service) -> APIRouter:
    router = APIRouter(tags=["machines"])

    @router.get("/machines/search", response_model=Page[MachineView], responses=problems(422))
    def search(
        where: Annotated[MachineFilter, Depends(machine_filter)],
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> Page[MachineView]:
        """Machines matching every filter given; a station's or the city's code covers every
        jurisdiction below it. A page at a time, by machine id."""
        key = decode_cursor(cursor, (str,)) if cursor else None
        with service.engine.connect() as conn:
            items, following = machine_queries.search(conn, where, key, limit)
        return Page[MachineView].model_validate({"items": items, "next_cursor": following})

    @router.get("/mortgages", response_model=Page[PledgeView], responses=problems(422))
    def list_pledges(
        lender: str | None = None, cursor: Cursor = None, limit: Limit = 50
    ) -> Page[PledgeView]:
        """Mortgages of one lender (or all) with their machines' status, by mortgage id."""
        key = decode_cursor(cursor, (str,)) if cursor else None
        with service.engine.connect() as conn:
            items, following = machine_queries.pledges(conn, lender, key, limit)
        return Page[PledgeView].model_validate({"items": items, "next_cursor": following})

    @router.get("/machines/{machine_id}/file", response_model=MachineFile, responses=problems(404))
    def machine_file(machine_id: str) -> View:
        with service.engine.connect() as conn:
            return _found(
                machine_queries.machine_file(conn, service.source, machine_id), "machine_id"
            )

    @router.get(
        "/enterprises/{enterprise_id}/file",
        response_model=EnterpriseFile,
        responses=problems(404),
    )
    def enterprise_file(enterprise_id: str) -> View:
        with service.engine.connect() as conn:
            return _found(counter_queries.enterprise_file(conn, enterprise_id), "enterprise_id")

    @router.get(
        "/verify/{registration_number}", response_model=Verification, responses=problems(404)
    )
    def verify(registration_number: str) -> View:
        with service.engine.connect() as conn:
            return _found(
                machine_queries.verification(conn, registration_number), "registration_number"
            )

    @router.get(
        "/machines/{machine_id}/certificate.pdf",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}, **problems(404, 409)},
    )
    def certificate(machine_id: str) -> Response:
        with service.engine.connect() as conn:
            machine = _found(queries.machine(conn, machine_id), "machine_id")
            owner = _found(queries.enterprise(conn, machine["enterprise_id"]), "enterprise_id")
        if not machine["registration_number"] or machine["status"] == "deregistered":
            raise Conflict("only a registered machine has a certificate", field="machine_id")
        verify = get_settings().verify_url
        return Response(
            certificate_pdf(machine, owner["name"], verify), media_type="application/pdf"
        )

    return router


def _found(view: View | None, field: str) -> View:
    if view is None:
        raise NotFound(f"no such {field.removesuffix('_id')}", field=field)
    return view
