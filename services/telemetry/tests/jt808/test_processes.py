"""A sibling server process is told nothing but to stop: its pipe closing sets its stop."""

from __future__ import annotations

import multiprocessing
import threading

from tianmen_telemetry.jt808.processes import until_closed


def test_a_sibling_stops_when_the_first_process_closes_its_pipe() -> None:
    ours, theirs = multiprocessing.Pipe()
    stop = threading.Event()
    watching = threading.Thread(target=until_closed, args=(theirs, stop))
    watching.start()
    assert not stop.wait(0.6), "an open pipe keeps the sibling serving"
    ours.close()
    watching.join(5)
    assert stop.is_set() and not watching.is_alive()


def test_a_sibling_stopped_by_its_signal_leaves_its_pipe_watch() -> None:
    _ours, theirs = multiprocessing.Pipe()
    stop = threading.Event()
    watching = threading.Thread(target=until_closed, args=(theirs, stop))
    watching.start()
    stop.set()
    watching.join(5)
    assert not watching.is_alive()
