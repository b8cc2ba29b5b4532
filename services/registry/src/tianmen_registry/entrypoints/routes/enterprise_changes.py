"""Changing an enterprise: public details (PATCH) and its people (PUT contacts, staff only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import StringConstraints
from tianmen_events.errors import NotFound
from tianmen_events.registry import Contact
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.service import Service

from tianmen_registry.adapters import queries
from tianmen_registry.domain.commands import ChangeEnterpriseContacts, ChangeEnterpriseDetails
from tianmen_registry.entrypoints.requests import ChangeDetailsIn, ContactsIn, ContactsView
from tianmen_registry.entrypoints.schemas import EnterpriseView
from tianmen_registry.service_layer import enterprise_changes

Text = Annotated[str, StringConstraints(max_length=500)]


def routes(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter(prefix="/enterprises/{enterprise_id}", tags=["enterprises"])

    @router.patch("", response_model=EnterpriseView, responses=problems(404, 422))
    def change_details(enterprise_id: str, body: ChangeDetailsIn) -> dict[str, Any]:
        cmd = ChangeEnterpriseDetails(enterprise_id=enterprise_id, **body.model_dump())
        run_command(service.engine, service.source, enterprise_changes.change_details, cmd, clock())
        with service.engine.connect() as conn:
            view = queries.enterprise(conn, enterprise_id)
        assert view is not None  # the command refused a missing enterprise
        return view

    @router.put("/contacts", response_model=ContactsView, responses=problems(404, 422))
    def change_contacts(enterprise_id: str, body: ContactsIn) -> ContactsView:
        cmd = ChangeEnterpriseContacts(enterprise_id, tuple(body.contacts), body.actor)
        run_command(
            service.engine, service.source, enterprise_changes.change_contacts, cmd, clock()
        )
        return get_contacts(enterprise_id)

    @router.get("/contacts", response_model=ContactsView, responses=problems(404))
    def get_contacts(enterprise_id: str) -> ContactsView:
        with service.engine.connect() as conn:
            if queries.enterprise(conn, enterprise_id) is None:
                raise NotFound(f"no enterprise {enterprise_id}", field="enterprise_id")
            found = queries.contacts(conn, enterprise_id)
        return ContactsView(enterprise_id=enterprise_id, contacts=[Contact(**c) for c in found])

    return router
