"""Texts reach a terminal whichever server process holds it; offline only if none does."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from tianmen_telemetry.jt808.downlink import TextSender
from tianmen_telemetry.jt808.processes import Sibling, answer_texts, routed
from tianmen_telemetry.jt808.server import TextDelivery
from tianmen_telemetry.jt808.session import TerminalOffline

HELD = "13800000001"


def holding(held: str, result: int = 0) -> TextSender:
    """A process's `send_text` that holds only the terminal `held`."""

    def send(terminal_id: str, text: str) -> TextDelivery:
        if terminal_id != held:
            raise TerminalOffline(terminal_id)
        return TextDelivery(terminal_id, text, result)

    return send


def timing_out(terminal_id: str, text: str) -> TextDelivery:
    raise TimeoutError(f"{terminal_id} did not answer")


@contextmanager
def sibling_answering(send: TextSender) -> Iterator[Sibling]:
    """A `Sibling` whose other end answers with `send` in a thread, as a sibling process does."""
    ours, theirs = multiprocessing.Pipe()
    stop = threading.Event()
    answering = threading.Thread(target=answer_texts, args=(theirs, send, stop))
    answering.start()
    try:
        yield Sibling(multiprocessing.current_process(), ours, timeout=2)
    finally:
        ours.close()
        answering.join(5)
    assert not answering.is_alive(), "a closed pipe stops the sibling's answering"


def test_a_text_for_a_terminal_on_a_sibling_is_sent_there() -> None:
    with sibling_answering(holding(HELD, result=1)) as sibling:
        send = routed(holding("13800000009"), [sibling])
        assert send(HELD, "停止使用") == TextDelivery(HELD, "停止使用", 1)


def test_a_terminal_no_process_holds_is_offline() -> None:
    with sibling_answering(holding("13800000008")) as sibling:
        send = routed(holding("13800000009"), [sibling])
        with pytest.raises(TerminalOffline):
            send(HELD, "停止使用")


def test_a_local_terminal_is_sent_its_text_without_asking_the_siblings() -> None:
    with sibling_answering(timing_out) as sibling:
        assert routed(holding(HELD), [sibling])(HELD, "x").result == 0


def test_a_sibling_whose_terminal_does_not_answer_is_a_timeout() -> None:
    with sibling_answering(timing_out) as sibling, pytest.raises(TimeoutError):
        routed(holding("13800000009"), [sibling])(HELD, "x")


def test_a_sibling_that_is_gone_holds_no_terminal() -> None:
    ours, theirs = multiprocessing.Pipe()
    theirs.close()
    sibling = Sibling(multiprocessing.current_process(), ours, timeout=2)
    with pytest.raises(TerminalOffline):
        routed(holding("13800000009"), [sibling])(HELD, "x")
