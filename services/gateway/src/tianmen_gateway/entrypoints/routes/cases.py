"""/api/v1/cases: the enforcement desk (safety). Staff see the cases of their jurisdiction,
an enterprise its own; staff decide, and safety records the caller's subject as the actor."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from tianmen_runtime.pages import Page
from tianmen_safety.entrypoints.schemas import (
    CaseDecisionIn,
    CaseView,
    DecisionAccepted,
    ListingView,
)

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import OptionalId, Paging, ResourceId, UpstreamsDep, given
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.service_layer.scoped import own_enterprise, visible_page

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])
Decision = Annotated[
    Literal["acknowledge", "confirm", "dismiss", "escalate", "appeal"],
    Path(description="appeal: the enterprise's appeal is upheld and the violation revoked"),
]


@router.get(
    "",
    response_model=Page[CaseView],
    summary="Cases on the desk, oldest first: by state, tier, enterprise and age",
    responses=problems(422),
)
async def list_cases(
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    state: Literal["open", "acknowledged", "confirmed", "dismissed", "revoked"] | None = None,
    tier: Literal["township", "station", "city"] | None = None,
    enterprise_id: OptionalId = None,
    opened_before: datetime | None = None,
) -> Response:
    asked = given(state=state, tier=tier, enterprise_id=enterprise_id)
    if opened_before is not None:
        asked["opened_before"] = opened_before.isoformat()

    async def keep(case: CaseView) -> bool:
        return seen.sees_division(case.jurisdiction) or await seen.sees_enterprise(
            case.enterprise_id
        )

    params = own_enterprise(seen, {**asked, **page})
    return await visible_page(upstreams, "safety", "/cases", CaseView, params, keep)


@router.get(
    "/{case_id}",
    response_model=CaseView,
    summary="One case: who holds it, by when, and what was decided by whom",
    responses=problems(404, 422),
)
async def get_case(case_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    return await upstreams.fetch("safety", "GET", f"/cases/{segment(case_id)}", CaseView)


@router.post(
    "/{case_id}/{decision}",
    status_code=202,
    response_model=DecisionAccepted,
    summary="Acknowledge, confirm (a violation), dismiss with a reason, or uphold an appeal",
    responses=problems(404, 409, 422),
)
async def decide_case(
    case_id: ResourceId,
    decision: Decision,
    body: CaseDecisionIn,
    upstreams: UpstreamsDep,
) -> Response:
    """Safety records the caller the gateway vouches for as the one who decided."""
    path = f"/cases/{segment(case_id)}/{decision}"
    content = body.model_dump_json().encode()
    return await upstreams.fetch("safety", "POST", path, DecisionAccepted, content=content)


lists = APIRouter(prefix="/api/v1/lists", tags=["cases"])


@lists.get(
    "/{name}",
    response_model=Page[ListingView],
    summary="The bidding-suspension or key-supervision list as of any moment (default: now)",
    responses=problems(422),
)
async def get_list(
    name: Annotated[Literal["bidding-suspension", "key-supervision"], Path()],
    upstreams: UpstreamsDep,
    seen: VisibilityDep,
    page: Paging,
    as_of: datetime | None = None,
) -> Response:
    asked = {**page, **({"as_of": as_of.isoformat()} if as_of else {})}

    async def keep(listing: ListingView) -> bool:
        return await seen.sees_enterprise(listing.enterprise_id)

    return await visible_page(upstreams, "safety", f"/lists/{name}", ListingView, asked, keep)
