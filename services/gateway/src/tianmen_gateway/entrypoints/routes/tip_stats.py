"""/api/v1/tip-stats: the tip figures the center publishes for a period (reports' statistics)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from tianmen_reports.entrypoints.schemas import FiguresView

from tianmen_gateway.entrypoints.deps import UpstreamsDep, given
from tianmen_gateway.entrypoints.openapi import problems

router = APIRouter(prefix="/api/v1", tags=["tips"])
Start = Annotated[
    datetime | None, Query(description="Inclusive, with a UTC offset (default: end - 30 days)")
]
End = Annotated[datetime | None, Query(description="Exclusive, with a UTC offset (default: now)")]
WINDOW = timedelta(days=30)


@router.get(
    "/tip-stats",
    response_model=FiguresView,
    summary="Tips received, verified, major hazards, time to verify, rewards paid, in [start, end)",
    responses=problems(422),
)
async def get_tip_statistics(
    upstreams: UpstreamsDep,
    start: Start = None,
    end: End = None,
    as_of: Annotated[datetime | None, Query(description="Default: now")] = None,
) -> Response:
    end = end or datetime.now(UTC)
    params = given(
        start=(start or end - WINDOW).isoformat(),
        end=end.isoformat(),
        as_of=as_of.isoformat() if as_of else None,
    )
    return await upstreams.fetch("reports", "GET", "/statistics", FiguresView, params=params)
