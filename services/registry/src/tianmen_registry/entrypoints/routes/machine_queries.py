"""Finding machines: search with filters, a machine's file, an enterprise's file, and the
public verification page the QR code on the plate leads to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response
from tianmen_events.errors import Conflict, NotFound
from tianmen_runtime.http import problems
from tianmen_runtime.service import Service

from tianmen_registry.adapters import counter_queries, machine_queries, queries, reference
from tianmen_registry.adapters.certificate import certificate_pdf
from tianmen_registry.adapters.machine_queries import MachineFilter
from tianmen_registry.config import get_settings

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


def routes(service: Service) -> APIRouter:
    router = APIRouter(tags=["machines"])

    @router.get("/machines/search", responses=problems(422))
    def search(
        jurisdiction_code: str | None = None,
        kind: str | None = None,
        status: str | None = None,
        enterprise_id: str | None = None,
        high_risk: bool | None = None,
        pledged: bool | None = None,
        after: str = Query("", description="The last machine_id of the previous page"),
        limit: int = Query(50, ge=1, le=500),
    ) -> View:
        scope = None if jurisdiction_code is None else _below(jurisdiction_code)
        where = MachineFilter(scope, kind, status, enterprise_id, high_risk, pledged)
        with service.engine.connect() as conn:
            items = machine_queries.search(conn, where, after=after, limit=limit)
        following = items[-1]["machine_id"] if len(items) == limit else None
        return {"items": items, "next_after": following}

    @router.get("/machines/{machine_id}/file", responses=problems(404))
    def machine_file(machine_id: str) -> View:
        with service.engine.connect() as conn:
            return _found(
                machine_queries.machine_file(conn, service.source, machine_id), "machine_id"
            )

    @router.get("/enterprises/{enterprise_id}/file", responses=problems(404))
    def enterprise_file(enterprise_id: str) -> View:
        with service.engine.connect() as conn:
            return _found(counter_queries.enterprise_file(conn, enterprise_id), "enterprise_id")

    @router.get("/verify/{registration_number}", responses=problems(404))
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
