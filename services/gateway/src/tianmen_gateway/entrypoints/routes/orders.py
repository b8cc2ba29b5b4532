"""/api/v1/hazards and /api/v1/orders (safety): staff file a hazard found on a machine of an
enterprise in their scope (and its order: rectify by a deadline, or stop-use), and record
re-inspections; readers see the orders of their jurisdiction, an enterprise its own."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from tianmen_registry.entrypoints.schemas import MachineView
from tianmen_runtime.http import FieldError
from tianmen_runtime.pages import Page
from tianmen_safety.entrypoints.schemas import (
    HazardIn,
    OrderAccepted,
    OrderView,
    ReinspectionIn,
)

from tianmen_gateway.adapters.upstream import conform, segment
from tianmen_gateway.entrypoints.deps import OptionalId, Paging, ResourceId, UpstreamsDep, given
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.authenticate import Refused
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.service_layer.scoped import own_enterprise, visible_page

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.post(
    "/hazards",
    status_code=202,
    response_model=OrderAccepted,
    summary="File a hazard found on a machine and the order it leads to (major: stop-use)",
    responses=problems(409, 422),
)
async def record_hazard(body: HazardIn, upstreams: UpstreamsDep) -> Response:
    """The machine must be the enterprise's, as the registry has it (a stop-use order suspends
    it); safety records the caller the gateway vouches for as the one who ordered."""
    path = f"/machines/{segment(body.machine_id)}"
    found = await upstreams.call("registry", "GET", path)
    if found.status_code != 200 or (
        conform("registry", found, MachineView).enterprise_id != body.enterprise_id
    ):
        error = FieldError(field="machine_id", message="not a machine of this enterprise")
        raise Refused(422, "Unknown machine", "no such machine of the enterprise", errors=[error])
    content = body.model_dump_json().encode()
    return await upstreams.fetch("safety", "POST", "/hazards", OrderAccepted, content=content)


@router.post(
    "/orders/{order_id}/reinspection",
    status_code=202,
    response_model=OrderAccepted,
    summary="A re-inspection: passed closes the order (and lifts a stop-use)",
    responses=problems(404, 409, 422),
)
async def record_reinspection(
    order_id: ResourceId, body: ReinspectionIn, upstreams: UpstreamsDep
) -> Response:
    path = f"/orders/{segment(order_id)}/reinspection"
    content = body.model_dump_json().encode()
    return await upstreams.fetch("safety", "POST", path, OrderAccepted, content=content)


@router.get(
    "/orders",
    response_model=Page[OrderView],
    summary="Orders by when their hazard was found: by state, enterprise and campaign",
    responses=problems(422),
)
async def list_orders(
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    state: Literal["open", "overdue", "closed"] | None = None,
    enterprise_id: OptionalId = None,
    campaign_id: OptionalId = None,
) -> Response:
    asked = given(state=state, enterprise_id=enterprise_id, campaign_id=campaign_id)

    async def keep(order: OrderView) -> bool:
        return seen.sees_division(order.jurisdiction) or await seen.sees_enterprise(
            order.enterprise_id
        )

    params = own_enterprise(seen, {**asked, **page})
    return await visible_page(upstreams, "safety", "/orders", OrderView, params, keep)


@router.get(
    "/orders/{order_id}",
    response_model=OrderView,
    summary="One order: its hazard, deadline, state, who ordered and who closed it",
    responses=problems(404, 422),
)
async def get_order(order_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await upstreams.fetch("safety", "GET", f"/orders/{segment(order_id)}", OrderView)
