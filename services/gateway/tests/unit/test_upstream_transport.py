"""The real upstream transport (aiohttp under httpx) over real loopback sockets: what the
gateway says of a call depends on how far it got, so each way a connection fails is told apart."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from tianmen_gateway.adapters.upstream import UpstreamError, Upstreams, upstream_transport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
pytestmark = pytest.mark.anyio
ANSWER = (
    b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'
)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


async def read_request(reader: asyncio.StreamReader) -> None:
    await reader.readuntil(b"\r\n\r\n")


async def call(url: str, method: str = "POST") -> httpx.Response:
    timeout = httpx.Timeout(0.5, connect=0.5)
    async with httpx.AsyncClient(timeout=timeout, transport=upstream_transport()) as client:
        upstreams = Upstreams(client, {"safety": url})
        return await upstreams.call("safety", method, "/cases", content=b"{}")


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_answer_comes_through() -> None:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await reader.readexactly(2)
        writer.write(ANSWER)
        await writer.drain()

    async with serving(answer) as url:
        response = await call(url)
    assert (response.status_code, response.json()) == (200, {"ok": True})


async def test_no_listener_means_the_command_was_not_delivered() -> None:
    with pytest.raises(UpstreamError) as failed:
        await call(f"http://127.0.0.1:{unused_port()}")
    assert failed.value.status == 503
    assert "nothing was written" in failed.value.detail


async def test_a_connection_dropped_after_the_request_may_have_applied_it() -> None:
    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()

    async with serving(drop) as url:
        with pytest.raises(UpstreamError) as failed:
            await call(url)
    assert failed.value.status == 503
    assert "failed mid-request" in failed.value.detail
    assert "may still have been applied" in failed.value.detail


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)
    await asyncio.sleep(3)
    writer.close()


@pytest.mark.parametrize(("method", "claims_applied"), [("POST", True), ("GET", False)])
async def test_no_answer_in_time_is_a_504_that_claims_only_what_a_write_may_have_done(
    method: str, claims_applied: bool
) -> None:
    async with serving(silent) as url:
        with pytest.raises(UpstreamError) as failed:
            await call(url, method)
    assert failed.value.status == 504
    assert ("may still have been applied" in failed.value.detail) is claims_applied
