"""Test scaffolding every service shares: Kafka-shaped records, the stored events, purity checks.

Imported by tests only; nothing here runs in a service.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from tianmen_events import DomainEvent, EventMeta, encode

from tianmen_runtime.db import events

if TYPE_CHECKING:
    import httpx  # the tests' client; the runtime itself does not depend on httpx

CLOCK_NAMES = frozenset({"now", "utcnow", "today", "time_ns", "uuid4", "random"})
"""Names whose use in a domain means reading the clock or a source of randomness."""


@dataclass(frozen=True)
class Record:
    """What `tianmen_runtime.consumer.apply_record` reads of a kafka ConsumerRecord."""

    topic: str
    partition: int
    offset: int
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def record_of(
    event: DomainEvent, meta: EventMeta, *, offset: int = 0, partition: int = 0
) -> Record:
    """The event as a relay publishes it, delivered at `partition`/`offset`."""
    message = encode(event, meta)
    return Record(message.topic, partition, offset, message.key, message.value, message.headers)


def stored_events(engine: Engine) -> list[tuple[str, int, str, str | None, str]]:
    """(aggregate id, sequence, type, causation id, time) of each stored event, in store order."""
    query = select(
        events.c.aggregate_id,
        events.c.sequence,
        events.c.type,
        events.c.causation_id,
        events.c.time,
    ).order_by(events.c.position)
    with engine.connect() as conn:
        return [
            (row.aggregate_id, row.sequence, row.type, row.causation_id, row.time)
            for row in conn.execute(query)
        ]


def domain_modules(domain_dir: Path) -> list[Path]:
    """Every Python module below `domain_dir`, in a stable order."""
    return sorted(domain_dir.rglob("*.py"))


def impure_domain_imports(domain_dir: Path, allowed: Collection[str]) -> dict[str, set[str]]:
    """Per module (path relative to `domain_dir`), the modules it imports that `allowed` lacks.

    An entry of `allowed` admits that module and everything below it: ``"typing"`` admits
    ``typing``; ``"tianmen_x.domain"`` admits ``tianmen_x.domain.rules`` but not
    ``tianmen_x.adapters``. Modules with nothing impure are left out, so a pure domain gives {}.
    """
    found: dict[str, set[str]] = {}
    for path in domain_modules(domain_dir):
        impure = {name for name in _imports(path) if not _admitted(name, allowed)}
        if impure:
            found[path.relative_to(domain_dir).as_posix()] = impure
    return found


def clock_reads(domain_dir: Path, *, names: Collection[str] = CLOCK_NAMES) -> dict[str, set[str]]:
    """Per module, the clock or randomness it reaches for; modules reaching for none are left out.

    Flags any attribute in `names` (``datetime.now``, ``date.today``, ``uuid.uuid4``,
    ``time.time_ns``, ``random.random`` ...), any of `names` imported by name
    (``from uuid import uuid4``), and any import of the ``random`` module.
    """
    found: dict[str, set[str]] = {}
    for path in domain_modules(domain_dir):
        reads: set[str] = set()
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Attribute) and node.attr in names:
                reads.add(node.attr)
            elif isinstance(node, ast.ImportFrom):
                reads |= {alias.name for alias in node.names if alias.name in names}
                if node.module and node.module.split(".")[0] == "random":
                    reads.add("random")
            elif isinstance(node, ast.Import):
                reads |= {"random" for alias in node.names if alias.name.split(".")[0] == "random"}
        if reads:
            found[path.relative_to(domain_dir).as_posix()] = reads
    return found


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _admitted(name: str, allowed: Collection[str]) -> bool:
    return any(name == entry or name.startswith(f"{entry}.") for entry in allowed)


def every_page(client: httpx.Client, path: str, limit: int, **params: Any) -> list[Any]:
    """Every item of a paged list, following `next_cursor`; no page longer than `limit`."""
    items: list[Any] = []
    query: dict[str, Any] = {**params, "limit": limit}
    while True:
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        query["cursor"] = page["next_cursor"]
