"""Photos really decoded with Pillow, and re-encoded without their metadata.

Re-encoding from the decoded pixels drops EXIF (GPS position, device make and serial), XMP and
comments; the orientation EXIF asked for is applied to the pixels first, so nothing is lost that
the evidence needs. The tip's own location is the WGS-84 point the reporter gave.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError
from tianmen_events.errors import DomainError

from tianmen_reports.domain.media import CleanMedia, MediaKind, MediaLimits, check_photo_size

_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def clean_photo(data: bytes, limits: MediaLimits) -> CleanMedia:
    check_photo_size(data, limits)
    image = _decoded(data, limits)
    upright = ImageOps.exif_transpose(image)
    fmt = str(image.format)
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    upright.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return CleanMedia(MediaKind.PHOTO, _CONTENT_TYPES[fmt], out.getvalue())


def _decoded(data: bytes, limits: MediaLimits) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in limits.photo_formats:
                raise DomainError("a photo must be JPEG, PNG or WebP", field="file")
            if image.width * image.height > limits.max_photo_pixels:
                raise DomainError("the photo has too many pixels", field="file")
            image.load()  # decodes every pixel: a truncated or forged file fails here
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise DomainError(f"not a readable image ({type(exc).__name__})", field="file") from exc
    return image
