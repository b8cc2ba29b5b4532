"""Evidence upload (citizens) and media download (staff only: the gateway guards `/staff`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile
from tianmen_events.errors import DomainError, NotFound

from tianmen_reports.adapters.media_store import MediaStore, StoredMedia
from tianmen_reports.adapters.photos import clean_photo
from tianmen_reports.adapters.videos import clean_video
from tianmen_reports.domain.media import CleanMedia, MediaKind, MediaLimits
from tianmen_reports.entrypoints.schemas import MediaReceipt


def media_router(store: MediaStore, limits: MediaLimits) -> APIRouter:
    router = APIRouter()

    @router.post("/media", status_code=201, summary="Upload a photo or short video for a tip")
    async def upload(
        file: Annotated[UploadFile, File(description="JPEG/PNG/WebP photo or MP4/MOV/WebM video")],
        kind: Annotated[MediaKind, Form()] = MediaKind.PHOTO,
    ) -> MediaReceipt:
        data = await file.read(_most(kind, limits) + 1)
        clean = _clean(kind, data, limits)
        store.put(StoredMedia(clean.media_id, clean.content_type, clean.data))
        return MediaReceipt(
            media_id=clean.media_id,
            kind=kind,
            content_type=clean.content_type,
            bytes=len(clean.data),
        )

    @router.get("/staff/media/{media_id}", summary="A tip's evidence (staff only)")
    def download(media_id: str) -> Response:
        media = store.get(media_id)
        if media is None:
            raise NotFound(f"no media {media_id}", field="media_id")
        return Response(media.data, media_type=media.content_type)

    return router


def _most(kind: MediaKind, limits: MediaLimits) -> int:
    return limits.max_photo_bytes if kind is MediaKind.PHOTO else limits.max_video_bytes


def _clean(kind: MediaKind, data: bytes, limits: MediaLimits) -> CleanMedia:
    if not data:
        raise DomainError("the file is empty", field="file")
    return clean_photo(data, limits) if kind is MediaKind.PHOTO else clean_video(data, limits)


def check_media_exist(store: MediaStore, media_ids: tuple[str, ...]) -> None:
    for index, media_id in enumerate(media_ids):
        if store.get(media_id) is None:
            raise DomainError(
                "no such media: upload it to /media first", field=f"media_ids.{index}"
            )
