"""/api/v1/media: a photo or short video for a tip, uploaded before the tip names it (reports).

The one route that takes multipart/form-data (the body guard admits it here only, up to
`MEDIA_MAX_BYTES`); the bytes are forwarded unchanged and reports checks and cleans them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from tianmen_reports.entrypoints.schemas import MediaReceipt

from tianmen_gateway.entrypoints.deps import OnceDep, UpstreamsDep
from tianmen_gateway.entrypoints.openapi import problems

PATH = "/api/v1/media"
router = APIRouter(tags=["tips"])
FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "The photo"},
                    "kind": {"type": "string", "enum": ["photo", "video"], "default": "photo"},
                },
            }
        }
    },
}


@router.post(
    PATH,
    status_code=201,
    response_model=MediaReceipt,
    summary="Upload a photo or short video for a tip; name it in the tip's media_ids",
    openapi_extra={"requestBody": FORM},
    responses=problems(409, 422),
)
async def upload_media(request: Request, upstreams: UpstreamsDep, once: OnceDep) -> Response:
    content = await request.body()
    headers = {"content-type": request.headers.get("content-type", "")}
    return await once(
        content,
        lambda: upstreams.fetch(
            "reports", "POST", "/media", MediaReceipt, content=content, headers=headers
        ),
    )
