"""Live alerts over Server-Sent Events, scoped like every other read.

Each alert is an `alert` event whose id is the topic position just after it; a client that
reconnects sends it back as `Last-Event-ID` and gets exactly what it missed. A comment is sent
when the stream starts and every `ALERT_STREAM_HEARTBEAT_S` (so proxies keep it open and a
dead client is noticed), a stream ends after `ALERT_STREAM_MAX_S` (the client reconnects and
resumes), and at most `ALERT_STREAM_CONNECTIONS` run at once per gateway (then 503).
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from tianmen_gateway.adapters.alert_feed import (
    AlertFeed,
    BadPosition,
    Feed,
    FeedUnavailable,
    Position,
    parse_position,
)
from tianmen_gateway.adapters.upstream import UpstreamError
from tianmen_gateway.config import Settings
from tianmen_gateway.entrypoints.openapi import problems
from tianmen_gateway.identity.authenticate import Refused
from tianmen_gateway.identity.enforce import VisibilityDep
from tianmen_gateway.identity.scope import Visibility

router = APIRouter(prefix="/api/v1")
RECONNECT_MS = 3000
LastEventId = Annotated[
    str,
    Header(
        alias="Last-Event-ID",
        description="The id of the last alert received (`partition:offset,…`): the stream "
        "resumes right after it. An id the stream did not issue is ignored (a comment says so): "
        "the stream then starts with the alerts raised from now on",
    ),
]
STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`text/event-stream`: `alert` events (data: an AlertRaised as JSON, id: "
        "the position to resume from), heartbeat comments",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/alerts/stream",
    tags=["alerts"],
    summary="Alerts as they are raised, pushed over Server-Sent Events",
    description="Staff get the alerts of machines in their jurisdiction (a township its own, "
    "a station its townships, the city all), an enterprise its own, auditors all. Reconnect "
    "with `Last-Event-ID` to receive what was raised meanwhile, each alert once.",
    response_class=EventSourceResponse,
    responses={**STREAM, **problems(422)},
)
async def stream_alerts(
    request: Request, seen: VisibilityDep, last_event_id: LastEventId = ""
) -> EventSourceResponse:
    start, note = _start(last_event_id)
    streams: Streams = request.app.state.alert_streams
    feed = await streams.open(start)
    events = _events(feed, seen, streams, streams.max_s, note)
    return EventSourceResponse(events, ping=streams.heartbeat_s)


Opener = Callable[[Position | None], Feed]


@dataclass
class Streams:
    """Opens feeds, at most `limit` at once; how long a stream lasts and how often it beats."""

    opener: Opener
    limit: int = 100
    max_s: float = 3600.0
    heartbeat_s: float = 15.0
    open_now: int = 0

    async def open(self, start: Position | None) -> Feed:
        if self.open_now >= self.limit:
            raise Refused(
                503, "Too many streams", "every alert stream is taken", {"Retry-After": "30"}
            )
        self.open_now += 1
        try:
            feed: Feed = await asyncio.to_thread(self.opener, start)
        except FeedUnavailable as exc:
            self.open_now -= 1
            detail = f"the broker cannot be reached: {exc}"
            raise Refused(503, "Broker unavailable", detail, {"Retry-After": "5"}) from exc
        except BaseException:
            self.open_now -= 1
            raise
        return feed

    def closed(self, feed: Feed) -> None:
        self.open_now -= 1
        threading.Thread(target=feed.close, daemon=True).start()  # waits for a poll in flight


def streams(settings: Settings, feeds: Opener | None) -> Streams:
    """The gateway's streams: `feeds` opens a feed (default: telemetry.alert on the broker)."""
    servers = settings.kafka_bootstrap_servers
    return Streams(
        feeds or functools.partial(AlertFeed, servers),
        settings.alert_stream_connections,
        settings.alert_stream_max_s,
        settings.alert_stream_heartbeat_s,
    )


def _start(last_event_id: str) -> tuple[Position | None, str]:
    if not last_event_id:
        return None, "alerts follow"
    try:
        return parse_position(last_event_id), "alerts follow"
    except BadPosition:
        return None, "alerts follow; Last-Event-ID not issued by this stream, so from now on"


async def _events(
    feed: Feed, seen: Visibility, streams: Streams, max_s: float, note: str
) -> AsyncIterator[ServerSentEvent]:
    until = time.monotonic() + max_s
    try:
        yield ServerSentEvent(comment=note, retry=RECONNECT_MS)
        while time.monotonic() < until:
            for raised in await asyncio.to_thread(feed.read):
                if await seen.sees_alert(raised.alert):
                    data = raised.alert.model_dump_json()
                    yield ServerSentEvent(data=data, event="alert", id=raised.position)
    except UpstreamError:
        # Cannot tell who may see an alert (the registry is away): end here, so the client
        # reconnects from the last alert it got and misses none.
        return
    finally:
        streams.closed(feed)
