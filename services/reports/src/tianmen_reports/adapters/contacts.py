"""The reporter-contact store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from tianmen_reports.adapters.orm import reporter_contacts
from tianmen_reports.domain.commands import Contact


def add_contact(conn: Connection, tip_id: str, contact: Contact, now: datetime) -> None:
    conn.execute(
        insert(reporter_contacts).values(
            tip_id=tip_id, name=contact.name, phone=contact.phone, recorded_at=now.isoformat()
        )
    )


def contact_for(conn: Connection, tip_id: str) -> Contact | None:
    row = conn.execute(
        select(reporter_contacts.c.name, reporter_contacts.c.phone).where(
            reporter_contacts.c.tip_id == tip_id
        )
    ).first()
    return Contact(name=row.name, phone=row.phone) if row else None
