"""A tip's photo for the staff who verify it (`/staff/tips/{id}/media/{media_id}`).

Named by its tip, so the gateway can check the tip is in the caller's jurisdiction; a media id
the tip does not name is missing here, so no photo is reached through someone else's tip.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from tianmen_events.errors import NotFound
from tianmen_runtime.http import problems
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.adapters.media_store import MediaStore
from tianmen_reports.service_layer.workflow import load_tip


def tip_media_router(service: Service, store: MediaStore) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/staff/tips/{tip_id}/media/{media_id}",
        summary="A photo or video the tip names (staff only)",
        response_class=Response,
        responses=problems(404),
    )
    def tip_media(tip_id: str, media_id: str) -> Response:
        with unit_of_work(service.engine, service.source) as uow:
            tip = load_tip(uow, tip_id)[0]
        media = store.get(media_id) if media_id in tip.media_ids else None
        if media is None:
            raise NotFound(f"tip {tip_id} names no media {media_id}", field="media_id")
        return Response(media.data, media_type=media.content_type)

    return router
