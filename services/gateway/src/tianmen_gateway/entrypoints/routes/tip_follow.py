"""What a citizen follows of their own tips (reports): a tip's steps, and their rewards.

Reports answers a citizen (named to it in `X-Reporter-Id`) their own tips only: another's tip is
missing to them (404). Staff in the tip's jurisdiction read its steps too.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_reports.entrypoints.schemas.progress import Progress
from tianmen_reports.entrypoints.schemas.rewards import Rewards

from tianmen_gateway.adapters.upstream import segment
from tianmen_gateway.entrypoints.deps import ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.entrypoints.routes.tips import reporter

router = APIRouter(prefix="/api/v1", tags=["tips"])


@router.get(
    "/tips/{tip_id}/progress",
    response_model=Progress,
    summary="Follow a tip: each step and its time, and whether it earned a reward",
    responses=problems(404, 422),
)
async def get_tip_progress(
    tip_id: ResourceId, request: Request, upstreams: UpstreamsDep
) -> Response:
    path = f"/tips/{segment(tip_id)}/progress"
    return await upstreams.fetch("reports", "GET", path, Progress, headers=reporter(request))


@router.get(
    "/rewards",
    response_model=Rewards,
    summary="My rewards: what the center grants and pays for each of my verified tips",
    responses=problems(422),
)
async def list_my_rewards(request: Request, upstreams: UpstreamsDep) -> Response:
    return await upstreams.fetch("reports", "GET", "/rewards", Rewards, headers=reporter(request))
