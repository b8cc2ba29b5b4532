"""/api/v1/mortgages: pledges, as their lender sees them; totals per lender for the city."""

from __future__ import annotations

from fastapi import APIRouter, Response
from tianmen_registry.entrypoints.schemas import MortgageTotals, PledgeView
from tianmen_runtime.pages import Page

from tianmen_gateway.entrypoints.deps import Paging, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes import forward
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.identity.principal import Role
from tianmen_gateway.service_layer.scoped import visible_page

router = APIRouter(prefix="/api/v1", tags=["mortgages"])


@router.get(
    "/mortgages",
    response_model=Page[PledgeView],
    summary="Mortgages with their machines' status: a lender's own, or those of machines in "
    "the caller's scope, by id, a page at a time (a page may be short)",
    responses=problems(422),
)
async def list_pledges(upstreams: UpstreamsDep, seen: VisibilityDep, page: Paging) -> Response:
    principal = seen.principal
    if principal.role is Role.LENDER:
        params = {**page, "lender": principal.enterprise_id or ""}

        async def keep(pledge: PledgeView) -> bool:
            return pledge.lender == principal.enterprise_id

    else:
        params = page

        async def keep(pledge: PledgeView) -> bool:
            return await seen.sees_enterprise(pledge.enterprise_id)

    return await visible_page(upstreams, "registry", "/mortgages", PledgeView, params, keep)


@router.get(
    "/mortgage-stats/totals",
    response_model=MortgageTotals,
    summary="Loans per lender and year: how many, how much, how many still active",
    responses=problems(),
)
async def get_mortgage_totals(upstreams: UpstreamsDep) -> Response:
    return await forward.read(upstreams, "/mortgage-stats/totals", MortgageTotals)
