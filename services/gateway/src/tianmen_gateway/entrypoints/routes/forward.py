"""Forwarding to the registry: a JSON command's bytes as the client sent them, a file's bytes
with its media type, a PDF as it is; answers checked against the registry's own contracts."""

from __future__ import annotations

from fastapi import Request, Response
from pydantic import BaseModel

from tianmen_gateway.adapters.upstream import Params, Upstreams, passthrough
from tianmen_gateway.service_layer.idempotency import Once


async def command(
    upstreams: Upstreams,
    method: str,
    path: str,
    contract: type[BaseModel],
    request: Request,
    once: Once | None = None,
) -> Response:
    """The client's body, forwarded unchanged (POSTs once per Idempotency-Key)."""
    content = await request.body()
    media = request.headers.get("content-type", "application/json")

    async def call() -> Response:
        headers = {"content-type": media}
        return await upstreams.fetch(
            "registry", method, path, contract, content=content, headers=headers
        )

    return await (once(content, call) if once is not None else call())


async def read(
    upstreams: Upstreams, path: str, contract: type[BaseModel], params: Params | None = None
) -> Response:
    return await upstreams.fetch("registry", "GET", path, contract, params=params)


async def document(upstreams: Upstreams, path: str, media_type: str) -> Response:
    """A document (a PDF): its bytes on success, a refusal unchanged."""
    response = await upstreams.call("registry", "GET", path)
    if not response.is_success:
        return passthrough(response)
    answered = passthrough(response)
    answered.headers["content-type"] = media_type
    return answered
