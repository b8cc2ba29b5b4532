"""Run a command in its own transaction; a lost race with a concurrent writer is decided again."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_registry.domain.commands import Command
from tianmen_registry.service_layer.handlers import COMMAND_HANDLERS

log = logging.getLogger(__name__)
ATTEMPTS = 3
# Another writer appended to the same aggregate, or took the same terminal, first: on a retry
# the handler sees their write and refuses or agrees with a proper answer.
RACES = (ConcurrencyConflict, IntegrityError)


def handle(engine: Engine, source: str, cmd: Command, now: datetime) -> str:
    """Handle `cmd`; return the id of the aggregate it concerns. `DomainError` refuses."""
    for _ in range(ATTEMPTS - 1):
        try:
            return _once(engine, source, cmd, now)
        except RACES:
            log.info("concurrent write; deciding %s again", type(cmd).__name__)
    return _once(engine, source, cmd, now)


def _once(engine: Engine, source: str, cmd: Command, now: datetime) -> str:
    with unit_of_work(engine, source) as uow:
        return COMMAND_HANDLERS[type(cmd)](cmd, uow, now)
