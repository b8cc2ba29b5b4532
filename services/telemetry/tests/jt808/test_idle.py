"""The idle timeout counts only the time a read waits, as a timeout scope per read did."""

from __future__ import annotations

import asyncio

import pytest
from tianmen_telemetry.jt808.idle import IdleWatch


def test_a_read_that_waits_longer_than_the_timeout_raises_timeout() -> None:
    async def scenario() -> None:
        watch = IdleWatch(0.05)
        try:
            with pytest.raises(TimeoutError):
                await watch.read(asyncio.StreamReader(), 10)
        finally:
            watch.close()

    asyncio.run(scenario())


def test_time_between_reads_is_not_idle() -> None:
    """A session waiting for the broker's acks longer than the timeout keeps its connection."""

    async def scenario() -> list[bytes]:
        reader = asyncio.StreamReader()
        watch = IdleWatch(0.5)
        got = []
        try:
            for chunk in (b"one", b"two"):
                reader.feed_data(chunk)
                got.append(await watch.read(reader, 10))
                await asyncio.sleep(0.8)  # answering: not reading
            asyncio.get_running_loop().call_later(0.05, reader.feed_data, b"three")
            got.append(await watch.read(reader, 10))  # arrives within the timeout
        finally:
            watch.close()
        return got

    assert asyncio.run(scenario()) == [b"one", b"two", b"three"]


def test_a_cancellation_from_outside_stays_a_cancellation() -> None:
    async def scenario() -> None:
        watch = IdleWatch(10)
        try:
            await watch.read(asyncio.StreamReader(), 10)
        finally:
            watch.close()

    async def cancelled() -> bool:
        task = asyncio.create_task(scenario())
        await asyncio.sleep(0.01)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            return True
        return False

    assert asyncio.run(cancelled())
