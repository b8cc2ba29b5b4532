"""Running a command in its own unit of work, deciding again when a concurrent writer won.

A command handler loads what it needs, decides and appends with the version it read, all its
reads from one snapshot of the store (`unit_of_work(snapshot=True)`); another writer appending
to the same aggregate first (`ConcurrencyConflict`), taking the same unique key
(`IntegrityError`) or changing a row it writes since its snapshot (PostgreSQL's serialization
failure) rolls the attempt back. The next attempt sees their write and refuses or
agrees with a proper answer; a race lost every time ends in `LostRace`, answered 409.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from tianmen_events.errors import Conflict

from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

log = logging.getLogger(__name__)
ATTEMPTS = 3
RACES = (ConcurrencyConflict, IntegrityError)
SERIALIZATION_FAILURE = "40001"  # PostgreSQL's SQLSTATE
C = TypeVar("C")
R = TypeVar("R")
P = ParamSpec("P")


class LostRace(Conflict):
    """Concurrent writers changed the aggregate on every attempt; the client may retry."""


def run_command(
    engine: Engine,
    source: str,
    handler: Callable[Concatenate[C, UnitOfWork, P], R],
    cmd: C,
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """`handler(cmd, uow, *args, **kwargs)` committed in one transaction; a lost race is
    decided again up to `ATTEMPTS` times. `DomainError` from the handler refuses at once."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with unit_of_work(engine, source, snapshot=True) as uow:
                return handler(cmd, uow, *args, **kwargs)
        except (*RACES, OperationalError) as exc:
            if isinstance(exc, OperationalError) and not _serialization_failure(exc):
                raise
            log.info(
                "concurrent write; deciding again",
                extra={"command": type(cmd).__name__, "attempt": attempt, "error": str(exc)},
            )
    raise LostRace(f"{type(cmd).__name__} lost to concurrent writers {ATTEMPTS} times; try again")


def _serialization_failure(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == SERIALIZATION_FAILURE
