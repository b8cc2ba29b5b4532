"""The reporter-identity store: each reporter's contact sealed with that reporter's own key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import datetime

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, delete, insert, select

from tianmen_reports.adapters.orm import reporter_identities, reporter_keys
from tianmen_reports.domain.commands import Contact


def pseudonym(secret: bytes, reporter_id: str) -> str:
    """The only name of a reporter outside this store: HMAC-SHA256 of the reporter's id."""
    return hmac.new(secret, reporter_id.encode(), hashlib.sha256).hexdigest()[:32]


def add_contact(
    conn: Connection, tip_id: str, reporter: str, contact: Contact, now: datetime
) -> None:
    key = _key(conn, reporter) or _new_key(conn, reporter, now)
    nonce = os.urandom(12)
    plain = json.dumps({"name": contact.name, "phone": contact.phone}).encode()
    conn.execute(
        insert(reporter_identities).values(
            tip_id=tip_id,
            reporter=reporter,
            nonce=nonce,
            sealed=AESGCM(key).encrypt(nonce, plain, tip_id.encode()),
            recorded_at=now.isoformat(),
        )
    )


def contact_for(conn: Connection, tip_id: str) -> Contact | None:
    """The contact of a tip's reporter; None if there is none or the reporter was erased."""
    row = conn.execute(
        select(reporter_identities).where(reporter_identities.c.tip_id == tip_id)
    ).first()
    key = _key(conn, row.reporter) if row else None
    if row is None or key is None:
        return None
    plain = json.loads(AESGCM(key).decrypt(row.nonce, row.sealed, tip_id.encode()))
    return Contact(name=plain["name"], phone=plain["phone"])


def has_identity(conn: Connection, tip_id: str) -> bool:
    query = select(reporter_identities.c.tip_id).where(reporter_identities.c.tip_id == tip_id)
    return conn.execute(query).first() is not None


def erase_reporter(conn: Connection, reporter: str) -> bool:
    """Crypto-shred: without the key every sealed contact of the reporter is noise."""
    return (
        conn.execute(delete(reporter_keys).where(reporter_keys.c.reporter == reporter)).rowcount > 0
    )


def _key(conn: Connection, reporter: str) -> bytes | None:
    query = select(reporter_keys.c.key).where(reporter_keys.c.reporter == reporter)
    key: bytes | None = conn.execute(query).scalar_one_or_none()
    return key


def _new_key(conn: Connection, reporter: str, now: datetime) -> bytes:
    key = AESGCM.generate_key(bit_length=256)
    conn.execute(
        insert(reporter_keys).values(reporter=reporter, key=key, created_at=now.isoformat())
    )
    return key
