"""Short videos really demuxed with PyAV (FFmpeg), and remuxed without their metadata.

Only the audio and video streams are copied, packet for packet (no re-encoding, so nothing of
the evidence is lost); the container's metadata (QuickTime/MP4 `location`, ISO 6709 position,
device make, model and serial, creation time, software), each stream's tags, and every other
stream (timed GPS or sensor data tracks, subtitles, attachments) are left behind. A file
FFmpeg cannot demux, or one without a video stream, is refused with the reason.
"""

from __future__ import annotations

import io
from typing import Any

import av
from tianmen_events.errors import DomainError

from tianmen_reports.domain.media import CleanMedia, MediaKind, MediaLimits, check_video

_MUXERS = {"video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm"}


def clean_video(data: bytes, limits: MediaLimits) -> CleanMedia:
    checked = check_video(data, limits)  # size and container signature first
    out = io.BytesIO()
    try:
        with av.open(io.BytesIO(data), mode="r") as source:
            kept = [s for s in source.streams if s.type in ("video", "audio")]
            if not any(s.type == "video" for s in kept):
                raise DomainError("the video has no video stream", field="file")
            with av.open(out, mode="w", format=_MUXERS[checked.content_type]) as target:
                _remux(source, target, kept)
    except av.FFmpegError as exc:
        raise DomainError(f"not a readable video ({type(exc).__name__})", field="file") from exc
    return CleanMedia(MediaKind.VIDEO, checked.content_type, out.getvalue())


def _remux(source: Any, target: Any, kept: list[Any]) -> None:
    mapping = {}
    for stream in kept:
        copy = target.add_stream_from_template(stream)
        copy.metadata.clear()
        mapping[stream.index] = copy
    for packet in source.demux(kept):
        if packet.dts is None:  # the demuxer's flush packet
            continue
        packet.stream = mapping[packet.stream.index]
        target.mux(packet)
