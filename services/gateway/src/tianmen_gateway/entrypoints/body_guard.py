"""Bodies are checked before anything parses them: size (413), media type (415), UTF-8 and
nesting depth (400), each answered as the same problem+json as every other error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tianmen_runtime.http import FieldError, problem

MAX_DEPTH = 32
WITH_BODY = ("POST", "PUT", "PATCH")
MIB = 1024 * 1024


@dataclass(frozen=True)
class FileBody:
    """A route that takes a file or a form, not JSON: the media types it takes and its own
    size bound."""

    media_types: tuple[str, ...]
    max_bytes: int


FILES = {
    "/api/v1/attachments": FileBody(("application/pdf", "image/jpeg", "image/png"), 10 * MIB),
    "/api/v1/imports/machines": FileBody(
        ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        50 * MIB,
    ),
    # GeoReport v2 clients post form-encoded; a description of 2000 characters, each
    # percent-encoded UTF-8 (9 bytes for a Chinese one), and the other fields fit well
    "/open311/v2/requests.json": FileBody(("application/x-www-form-urlencoded",), 64 * 1024),
}


def file_body(media_types: tuple[str, ...]) -> dict[str, Any]:
    """The OpenAPI request body of a route that takes a file."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"requestBody": {"required": True, "content": {m: binary for m in media_types}}}


class BodyGuard:
    """`uploads` maps the paths that take multipart/form-data (uploads) to their own size cap."""

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: dict[str, int] | None = None) -> None:
        self.app, self.max_bytes, self.uploads = app, max_bytes, uploads or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WITH_BODY:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        upload = scope["path"] in self.uploads
        file = FILES.get(scope["path"])  # any method: one the path lacks is then a 405
        limit = file.max_bytes if file else self.uploads.get(scope["path"], self.max_bytes)
        declared = headers.get("content-length", "0")
        body = None if _too_long(declared, limit) else await _read(receive, limit)
        if body is None:
            detail = f"the body is larger than {limit} bytes"
            await problem(413, "Payload too large", detail)(scope, receive, send)
            return
        content_type = headers.get("content-type")
        if file:
            refusal = refuse_file(file, content_type, body)
        else:
            refusal = refuse(content_type, body, upload=upload)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def refuse(content_type: str | None, body: bytes, *, upload: bool = False) -> JSONResponse | None:
    """The problem this body is, or None if it may be parsed (an upload: by its service)."""
    if not body:
        return None  # nothing to parse: the route says what it misses
    media = (content_type or "").split(";")[0].strip().lower()
    if upload:
        if media == "multipart/form-data":
            return None
        return problem(415, "Unsupported media type", f"send multipart/form-data, not {media}")
    if media != "application/json" and not media.endswith("+json"):
        detail = f"send application/json, not {media or 'no content type'}"
        return problem(415, "Unsupported media type", detail)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _bad_body(f"not UTF-8 at byte {exc.start}")
    if depth(body) > MAX_DEPTH:
        return _bad_body(f"JSON nested deeper than {MAX_DEPTH} levels")
    return None


def refuse_file(file: FileBody, content_type: str | None, body: bytes) -> JSONResponse | None:
    """The problem this file body is (not one of the route's media types), or None."""
    media = (content_type or "").split(";")[0].strip().lower()
    if body and media not in file.media_types:
        detail = f"send one of {', '.join(file.media_types)}, not {media or 'no content type'}"
        return problem(
            415, "Unsupported media type", detail, [FieldError(field="body", message=detail)]
        )
    return None


def depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (strings skipped, not parsed)."""
    deepest = level = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            escaped, in_string = (False, True) if escaped else (byte == 0x5C, byte != 0x22)
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            level += 1
            deepest = max(deepest, level)
        elif byte in (0x5D, 0x7D):
            level -= 1
    return deepest


def _bad_body(message: str) -> JSONResponse:
    return problem(400, "Unreadable body", message, [FieldError(field="body", message=message)])


def _too_long(declared: str, limit: int) -> bool:
    return declared.isdigit() and int(declared) > limit


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it grows past `limit` (the rest is never read)."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: disconnects
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
