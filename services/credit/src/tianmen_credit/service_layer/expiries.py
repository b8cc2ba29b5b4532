"""Expiries on time: once the event time credit has seen (`adapters/clock.py`) passes an
enterprise's next expiry, its row moves there and the change is published, with no new fact
about that enterprise. The events are dated at the expiry and caused by the item that expired
(its event id, as in `ProcurementRestrictionChanged.cause_event_id`), never the wall clock.
"""

from __future__ import annotations

from datetime import datetime

from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_credit.adapters.projections import CreditRows
from tianmen_credit.domain.ledger import Ledger
from tianmen_credit.domain.live import expire
from tianmen_credit.domain.tally import tally_of


def expire_due(uow: UnitOfWork, rows: CreditRows, due: set[str], clock: datetime) -> None:
    """Move every row in `due` whose next expiry the clock has reached, and say so."""
    rows.read(due)
    for enterprise_id in sorted(due):
        row, ledger = rows.row(enterprise_id), rows.ledger(enterprise_id)
        moved = expire(row, ledger, rows.model, clock)
        if moved is None:
            continue  # already moved by a fact of this transaction
        after, caused = moved
        recorded = []
        if caused:
            assert after.watermark is not None
            cause = _expired_at(ledger, after.watermark)
            recorded = uow.events.append(
                enterprise_id,
                caused,
                expected_version=uow.events.version(enterprise_id),
                time=after.watermark,
                correlation_id=cause,
                causation_id=cause,
            )
        assert after.watermark is not None
        rows.project(after, recorded, tally_of(ledger, after.watermark))


def _expired_at(ledger: Ledger, moment: datetime) -> str:
    """The item that expired at `moment` (the first by event id when several did)."""
    return min(i.event_id for i in ledger.items if i.expires_at == moment)
