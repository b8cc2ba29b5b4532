"""/api/v1/tips/{id}/media/{media_id}: a tip's photo for the staff who verify it (reports).

The tip in the path is checked against the caller's jurisdiction (rules: TIP_PATH); reports
serves only a media id that tip names. The bytes are passed on only as an image or a video.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from tianmen_runtime.http import problem

from tianmen_gateway.adapters.upstream import passthrough, segment
from tianmen_gateway.entrypoints.deps import ResourceId, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems

router = APIRouter(prefix="/api/v1/tips", tags=["tips"])
SHOWN = ("image/", "video/")
PHOTO = {
    "description": "The photo or video as reports cleaned it (no location, no device)",
    "content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}, "video/mp4": {}},
}


@router.get(
    "/{tip_id}/media/{media_id}",
    summary="A photo or video the tip names (staff in the tip's jurisdiction)",
    response_class=Response,
    responses={200: PHOTO, **problems(404, 422)},
)
async def get_tip_media(
    tip_id: ResourceId, media_id: ResourceId, upstreams: UpstreamsDep
) -> Response:
    path = f"/staff/tips/{segment(tip_id)}/media/{segment(media_id)}"
    answer = await upstreams.call("reports", "GET", path)
    if not answer.is_success:
        return passthrough(answer)
    kind = answer.headers.get("content-type", "")
    if not kind.startswith(SHOWN):
        return problem(502, "Bad gateway", f"reports answered media as {kind or 'nothing'}")
    return Response(answer.content, media_type=kind, headers={"Cache-Control": "private"})
