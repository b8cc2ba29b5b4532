"""Storing an uploaded document: checked, content-addressed, stored once."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import insert, select
from tianmen_events import derive_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters.orm_counter import attachments
from tianmen_registry.domain.attachments import check_file


def store(upload: tuple[str, bytes], uow: UnitOfWork, now: datetime) -> str:
    media_type, content = upload
    check_file(media_type, content)
    digest = hashlib.sha256(content).hexdigest()
    attachment_id = derive_id("attachment", media_type, digest)
    query = select(attachments.c.attachment_id).where(attachments.c.attachment_id == attachment_id)
    if uow.conn.execute(query).first() is None:
        row = {"media_type": media_type, "size": len(content), "sha256": digest}
        uow.conn.execute(
            insert(attachments).values(attachment_id=attachment_id, content=content, **row)
        )
    return attachment_id
