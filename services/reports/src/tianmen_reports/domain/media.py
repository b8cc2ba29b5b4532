"""Evidence media of a tip: which kinds are accepted, how large, and how a video is recognised.

Pure: the image decoding itself is an adapter (Pillow); a video is recognised by its container
signature, never by the name or content type the client claims.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from tianmen_events.errors import DomainError


class MediaKind(StrEnum):
    PHOTO = "photo"
    VIDEO = "video"


@dataclass(frozen=True)
class MediaLimits:
    version: str = "1"
    max_photo_bytes: int = 10 * 1024 * 1024
    max_photo_pixels: int = 40_000_000
    photo_formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
    max_video_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class CleanMedia:
    """Media as stored: re-encoded (photos) or checked (videos), with its derived id."""

    kind: MediaKind
    content_type: str
    data: bytes

    @property
    def media_id(self) -> str:
        return hashlib.sha256(self.data).hexdigest()[:32]


_MP4_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"3gp4", b"3gp5", b"3gp6"}


def video_content_type(head: bytes) -> str | None:
    """The content type of a short video by its container signature, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime"
        return "video/mp4" if brand in _MP4_BRANDS else None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


def check_video(data: bytes, limits: MediaLimits) -> CleanMedia:
    if len(data) > limits.max_video_bytes:
        raise DomainError(f"a video must be at most {limits.max_video_bytes} bytes", field="file")
    content_type = video_content_type(data[:16])
    if content_type is None:
        raise DomainError("not an MP4, QuickTime or WebM video", field="file")
    return CleanMedia(MediaKind.VIDEO, content_type, data)


def check_photo_size(data: bytes, limits: MediaLimits) -> None:
    if len(data) > limits.max_photo_bytes:
        raise DomainError(f"a photo must be at most {limits.max_photo_bytes} bytes", field="file")
