"""Concurrent sessions' reports are joined into one submit while every submit slot is busy;
several submits run at once; a refusal stays with its message."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.domain.ingest import UnknownTerminals
from tianmen_telemetry.jt808.batching import BatchingIntake
from tianmen_telemetry.service_layer.ports import SinkUnavailable

from ..helpers import at
from .server_fixtures import run


def report(terminal_id: str) -> Report:
    return Report(terminal_id, at("2026-05-11T23:30:00"), 30.65, 113.16, working=True)


class GatedIntake:
    """Holds its first `held` submits until `gate` opens; later ones go through."""

    def __init__(
        self, unbound: frozenset[str] = frozenset(), down: bool = False, held: int = 1
    ) -> None:
        self.calls: list[list[str]] = []
        self.entered, self.all_held, self.gate = (threading.Event() for _ in range(3))
        self.unbound, self.down, self.held = unbound, down, held
        self._lock = threading.Lock()

    def submit(self, reports: Sequence[Report]) -> None:
        with self._lock:
            hold, self.held = self.held > 0, self.held - 1
        self.entered.set()
        if hold:
            if self.held <= 0:
                self.all_held.set()
            self.gate.wait(10)
        self.calls.append([r.terminal_id for r in reports])
        unknown = tuple(r.terminal_id for r in reports if r.terminal_id in self.unbound)
        if unknown:
            raise UnknownTerminals(tuple(f"reports.{i}" for i in range(len(unknown))), unknown)
        if self.down:
            raise SinkUnavailable("broker did not acknowledge")


async def submit_while_the_first_is_held(
    intake: GatedIntake, terminals: Sequence[str]
) -> list[BaseException | None]:
    """The outcome of each message, the held first one included (one submit at a time)."""
    batching = BatchingIntake(intake, max_in_flight=1)
    first = asyncio.create_task(batching.submit([report("first")]))
    assert await asyncio.to_thread(intake.entered.wait, 10)
    queued = [asyncio.create_task(batching.submit([report(t)])) for t in terminals]
    await asyncio.sleep(0)  # one turn of the loop: every queued submit enqueues its reports
    intake.gate.set()
    return list(await asyncio.gather(first, *queued, return_exceptions=True))


def test_messages_that_queue_behind_a_submit_go_in_one_submit() -> None:
    intake = GatedIntake()
    outcomes = run(lambda: submit_while_the_first_is_held(intake, ["a", "b", "c"]))
    assert outcomes == [None, None, None, None]
    assert intake.calls == [["first"], ["a", "b", "c"]]


def test_a_refused_message_refuses_only_itself() -> None:
    intake = GatedIntake(unbound=frozenset({"b"}))
    outcomes = run(lambda: submit_while_the_first_is_held(intake, ["a", "b", "c"]))
    assert [outcomes[0], outcomes[1], outcomes[3]] == [None, None, None]
    assert isinstance(outcomes[2], UnknownTerminals)
    assert intake.calls == [["first"], ["a", "b", "c"], ["a"], ["b"], ["c"]]


def test_an_unconfirmed_joined_submit_is_unconfirmed_for_every_message() -> None:
    intake = GatedIntake(down=True)
    outcomes = run(lambda: submit_while_the_first_is_held(intake, ["a", "b"]))
    assert [type(outcome) for outcome in outcomes] == [SinkUnavailable] * 3
    assert intake.calls == [["first"], ["a", "b"]]


def test_a_message_is_submitted_while_an_earlier_submit_waits_for_its_acks() -> None:
    intake = GatedIntake()

    async def scenario() -> list[str]:
        batching = BatchingIntake(intake, max_in_flight=2)
        first = asyncio.create_task(batching.submit([report("first")]))
        assert await asyncio.to_thread(intake.entered.wait, 10)
        await asyncio.wait_for(batching.submit([report("second")]), 5)  # not behind "first"
        assert not first.done()
        intake.gate.set()
        await first
        return [terminal for call in intake.calls for terminal in call]

    assert run(scenario) == ["second", "first"]


def test_when_every_slot_is_busy_the_waiting_messages_go_in_one_submit() -> None:
    intake = GatedIntake(held=2)

    async def scenario() -> list[list[str]]:
        batching = BatchingIntake(intake, max_in_flight=2)
        held = [asyncio.create_task(batching.submit([report("x")]))]
        assert await asyncio.to_thread(intake.entered.wait, 10)
        held.append(asyncio.create_task(batching.submit([report("y")])))
        assert await asyncio.to_thread(intake.all_held.wait, 10)
        queued = [asyncio.create_task(batching.submit([report(t)])) for t in ("a", "b", "c")]
        await asyncio.sleep(0)
        intake.gate.set()
        await asyncio.gather(*held, *queued)
        return sorted(intake.calls)

    assert run(scenario) == [["a", "b", "c"], ["x"], ["y"]]
