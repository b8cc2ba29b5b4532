"""Bring the projection rows up to date with score changes just recorded."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert
from tianmen_events import EventMeta
from tianmen_events.credit import CreditScoreChanged
from tianmen_runtime.event_store import Recorded

from tianmen_credit.adapters.orm import history, scores


def project(conn: Connection, recorded: Sequence[Recorded]) -> None:
    for item in recorded:
        if isinstance(item.event, CreditScoreChanged):
            _insert_history(conn, item.event, item.meta)
            _write_score(conn, item.event, item.meta)


def _insert_history(conn: Connection, event: CreditScoreChanged, meta: EventMeta) -> None:
    reasons = [reason.model_dump() for reason in event.reasons]
    conn.execute(
        insert(history).values(
            event_id=meta.id,
            enterprise_id=event.enterprise_id,
            sequence=meta.sequence,
            time=meta.time.isoformat(),
            score_before=event.score_before,
            score=event.score,
            grade_before=event.grade_before,
            grade=event.grade,
            model_version=event.model_version,
            reasons=json.dumps(reasons, ensure_ascii=False, sort_keys=True),
        )
    )


def _write_score(conn: Connection, event: CreditScoreChanged, meta: EventMeta) -> None:
    conn.execute(delete(scores).where(scores.c.enterprise_id == event.enterprise_id))
    conn.execute(
        insert(scores).values(
            enterprise_id=event.enterprise_id,
            score=event.score,
            grade=event.grade,
            procurement_restricted=event.procurement_restricted,
            model_version=event.model_version,
            updated_at=meta.time.isoformat(),
        )
    )
