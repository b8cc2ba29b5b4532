"""POST /media and GET /staff/media/{id}: photos decoded and stripped, videos by signature."""

from __future__ import annotations

import io

import av
import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from tianmen_reports.adapters.media_store import LocalMediaStore

GPS_IFD = 0x8825
MAKE, MODEL, BODY_SERIAL = 0x010F, 0x0110, 0xA431


def a_photo_with_gps(fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[MAKE] = "CanaryPhoneMaker"
    exif[MODEL] = "CanaryModel-X"
    exif[GPS_IFD] = {1: "N", 2: (30.0, 39.0, 47.0), 3: "E", 4: (113.0, 9.0, 58.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def upload(
    client: TestClient, data: bytes, kind: str = "photo", name: str = "x.jpg"
) -> httpx.Response:
    response: httpx.Response = client.post(
        "/media", files={"file": (name, data)}, data={"kind": kind}
    )
    return response


def test_a_photo_is_decoded_and_stored_without_location_or_device(
    client: TestClient, media: LocalMediaStore
) -> None:
    original = a_photo_with_gps()
    assert b"CanaryPhoneMaker" in original and Image.open(io.BytesIO(original)).getexif()

    response = upload(client, original)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["kind"] == "photo" and receipt["content_type"] == "image/jpeg"

    served = client.get(f"/staff/media/{receipt['media_id']}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    kept = Image.open(io.BytesIO(served.content))
    assert kept.size == (64, 48)
    assert dict(kept.getexif()) == {}
    assert b"CanaryPhoneMaker" not in served.content and b"CanaryModel" not in served.content
    stored = media.get(receipt["media_id"])
    assert stored is not None and stored.data == served.content


def test_a_png_keeps_its_format(client: TestClient) -> None:
    response = upload(client, a_photo_with_gps("PNG"), name="x.png")
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"


def test_a_file_that_only_claims_to_be_a_photo_is_refused_naming_the_field(
    client: TestClient, media: LocalMediaStore
) -> None:
    truncated = a_photo_with_gps()[:200]
    for data in (b"GIF89a not really", truncated, b"%PDF-1.7 hello"):
        response = upload(client, data)
        assert response.status_code == 422, data[:10]
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "file"
    assert not media.root.exists() or not list(media.root.iterdir())


LOCATION = "+30.6631+113.1661/"
CANARY_TAGS = {
    "location": LOCATION,
    "com.apple.quicktime.location.ISO6709": LOCATION,
    "make": "CanaryCamMaker",
    "model": "CanaryCam-9",
}


def a_clip_with_location(fmt: str = "mp4", frames: int = 12) -> bytes:
    """A real short clip (MPEG-4 video) whose container says where and on what it was shot."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=fmt, options={"movflags": "use_metadata_tags"}) as container:
        container.metadata.update(CANARY_TAGS)
        stream = container.add_stream("mpeg4", rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.metadata["handler_name"] = "CanaryCamMaker video"
        for number in range(frames):
            image = Image.new("RGB", (64, 48), (number * 20, 120, 40))
            container.mux(stream.encode(av.VideoFrame.from_image(image)))  # type: ignore[no-untyped-call]
        container.mux(stream.encode(None))
    return out.getvalue()


def _frames(data: bytes) -> tuple[int, dict[str, str]]:
    with av.open(io.BytesIO(data), mode="r") as container:
        tags = dict(container.metadata)
        return len(list(container.decode(video=0))), tags


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [
        ("mp4", "clip.mp4", "video/mp4"),
        ("mov", "clip.mov", "video/quicktime"),
    ],
)
def test_a_short_video_is_remuxed_without_its_location_or_device(
    client: TestClient, fmt: str, name: str, content_type: str
) -> None:
    original = a_clip_with_location(fmt)
    assert LOCATION.encode() in original and b"CanaryCamMaker" in original
    response = upload(client, original, kind="video", name=name)
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == content_type

    served = client.get(f"/staff/media/{response.json()['media_id']}").content
    assert LOCATION.encode() not in served and b"+30.66" not in served
    assert b"CanaryCam" not in served
    frames, tags = _frames(served)
    assert frames == 12  # every frame of the evidence is still there
    assert [key for key in tags if "location" in key or key in ("make", "model")] == []


def test_a_video_that_cannot_be_demuxed_is_refused_with_the_reason(client: TestClient) -> None:
    signature_only = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200
    response = upload(client, signature_only, kind="video", name="clip.mp4")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    assert "not a readable video" in response.json()["detail"]

    jpeg_named_mp4 = upload(client, a_photo_with_gps(), kind="video", name="clip.mp4")
    assert jpeg_named_mp4.status_code == 422
    assert jpeg_named_mp4.json()["errors"][0]["field"] == "file"


def test_an_oversized_photo_is_refused(client: TestClient) -> None:
    big = a_photo_with_gps() + b"\x00" * (10 * 1024 * 1024)
    response = upload(client, big)
    assert response.status_code == 422
    assert "at most" in response.json()["detail"]


def test_unknown_media_is_404(client: TestClient) -> None:
    assert client.get("/staff/media/" + "0" * 32).status_code == 404
    assert client.get("/staff/media/..%2F..%2Fetc").status_code == 404
