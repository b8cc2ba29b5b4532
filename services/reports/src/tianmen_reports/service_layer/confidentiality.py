"""Revealing a reporter's contact (audited) and erasing a reporter (crypto-shredding)."""

from __future__ import annotations

from datetime import datetime

from tianmen_events.errors import DomainError, NotFound
from tianmen_events.reports import TipContactRevealed
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_reports.adapters.contacts import contact_for, erase_reporter, has_identity
from tianmen_reports.domain.commands import Contact, RevealContact
from tianmen_reports.service_layer.record import record


class Erased(DomainError):
    status = 410
    code = "gone"


def reveal_contact(cmd: RevealContact, uow: UnitOfWork, now: datetime) -> Contact:
    """The contact, and in the same transaction the event that says who saw it and why."""
    history = list(uow.events.load(cmd.tip_id))
    if not history:
        raise NotFound(f"no tip {cmd.tip_id}", field="tip_id")
    contact = contact_for(uow.conn, cmd.tip_id)
    if contact is None:
        if has_identity(uow.conn, cmd.tip_id):
            raise Erased("the reporter was erased; the contact is gone", field="tip_id")
        raise NotFound("this tip has no contact", field="tip_id")
    revealed = TipContactRevealed(
        tip_id=cmd.tip_id, actor=cmd.actor, reason=cmd.reason, revealed_at=now
    )
    record(uow, cmd.tip_id, [revealed], version=len(history), now=now)
    return contact


def erase(reporter: str, uow: UnitOfWork) -> None:
    if not erase_reporter(uow.conn, reporter):
        raise NotFound(f"no key for reporter {reporter}", field="reporter")
