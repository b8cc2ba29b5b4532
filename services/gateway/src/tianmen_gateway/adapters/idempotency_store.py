"""The gateway's one table: which (client, Idempotency-Key) ran which request, and its answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

metadata = MetaData()
requests = Table(
    "gateway_idempotency",
    metadata,
    Column("client", String(200), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_sha256", String(64), nullable=False),
    Column("status", Integer, nullable=True, comment="NULL while the first request runs"),
    Column("media_type", String(100), nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("claimed_at", DateTime(timezone=True), nullable=False, index=True),
)


@dataclass(frozen=True)
class Stored:
    request_sha256: str
    status: int | None
    media_type: str | None
    body: bytes | None
    claimed_at: datetime


@dataclass(frozen=True)
class IdempotencyStore:
    engine: Engine
    keep: timedelta = timedelta(hours=24)

    def claim(self, client: str, key: str, sha: str, now: datetime) -> Stored | None:
        """None if this request now owns the key; else what the key already holds."""
        row = {"client": client, "key": key, "request_sha256": sha, "claimed_at": now}
        with self.engine.begin() as conn:
            conn.execute(delete(requests).where(requests.c.claimed_at < now - self.keep))
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(requests).values(**row))
            return None
        except IntegrityError:
            # Taken; if it was released meanwhile, try again to own it.
            return self._stored(client, key) or self.claim(client, key, sha, now)

    def take_over(self, client: str, key: str, stale: Stored, now: datetime) -> bool:
        """Claim a key whose first request was abandoned (it never answered)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(requests)
                .where(self._row(client, key), requests.c.claimed_at == stale.claimed_at)
                .values(claimed_at=now)
            )
        return bool(done.rowcount)

    def complete(self, client: str, key: str, status: int, media: str | None, body: bytes) -> None:
        values = {"status": status, "media_type": media, "body": body}
        with self.engine.begin() as conn:
            conn.execute(update(requests).where(self._row(client, key)).values(**values))

    def release(self, client: str, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(requests).where(self._row(client, key)))

    def _stored(self, client: str, key: str) -> Stored | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(requests).where(self._row(client, key))).one_or_none()
        if row is None:
            return None
        claimed = row.claimed_at
        claimed = claimed if claimed.tzinfo else claimed.replace(tzinfo=UTC)  # SQLite: naive
        return Stored(row.request_sha256, row.status, row.media_type, row.body, claimed)

    @staticmethod
    def _row(client: str, key: str):  # type: ignore[no-untyped-def]
        return (requests.c.client == client) & (requests.c.key == key)
