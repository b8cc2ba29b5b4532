"""/api/v1/enterprises/{id}/safety and /credit: summaries, and the lists behind them, paged."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel
from tianmen_credit.entrypoints.schemas import ChangeView, ScoreView
from tianmen_runtime.pages import Page
from tianmen_safety.entrypoints.schemas import (
    DeductionView,
    LedgerView,
    RestorationView,
    ViolationView,
)

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import (
    CycleYear,
    Paging,
    ResourceId,
    UpstreamsDep,
    given,
)
from tianmen_gateway.entrypoints.openapi import problems

router = APIRouter(prefix="/api/v1/enterprises/{enterprise_id}", tags=["enterprises"])


@router.get(
    "/safety",
    response_model=LedgerView,
    summary="An enterprise's safety points in one cycle, with counts",
    responses=problems(422),
)
async def get_safety_ledger(
    enterprise_id: ResourceId, upstreams: UpstreamsDep, year: CycleYear = None
) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/ledger"
    return await upstreams.fetch("safety", "GET", path, LedgerView, params=given(year=year))


def _cycle_list(what: str, item: type[BaseModel], summary: str) -> None:
    """GET /safety/<what>: one of the cycle's lists at safety, a page at a time."""
    contract: type[BaseModel] = Page[item]  # type: ignore[valid-type]

    @router.get(
        f"/safety/{what}",
        name=f"list_{what}",
        response_model=contract,
        summary=summary,
        responses=problems(422),
    )
    async def list_items(
        enterprise_id: ResourceId,
        upstreams: UpstreamsDep,
        page: Paging,
        year: CycleYear = None,
    ) -> Response:
        path = f"/enterprises/{segment(enterprise_id)}/{what}"
        params = {**given(year=year), **page}
        return await upstreams.fetch("safety", "GET", path, contract, params=params)


_cycle_list("violations", ViolationView, "The violations of one cycle in recorded order, paged")
_cycle_list(
    "deductions", DeductionView, "The points deductions of one cycle in recorded order, paged"
)
_cycle_list(
    "restorations", RestorationView, "Points given back by upheld appeals in one cycle, paged"
)


@router.get(
    "/credit",
    response_model=ScoreView,
    summary="An enterprise's credit score with its latest change and the reasons for it",
    responses=problems(422),
)
async def get_credit_score(enterprise_id: ResourceId, upstreams: UpstreamsDep) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/score"
    return await upstreams.fetch("credit", "GET", path, ScoreView)


@router.get(
    "/credit/history",
    response_model=Page[ChangeView],
    summary="Every credit score change with its reasons, in recorded order, a page at a time",
    responses=problems(422),
)
async def list_credit_history(
    enterprise_id: ResourceId, upstreams: UpstreamsDep, page: Paging
) -> Response:
    path = f"/enterprises/{segment(enterprise_id)}/history"
    return await upstreams.fetch("credit", "GET", path, Page[ChangeView], params=page)
