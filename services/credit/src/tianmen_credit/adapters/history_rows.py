"""Credit's score history as stored: a row per `CreditScoreChanged`, its reasons as canonical
JSON."""

from __future__ import annotations

import json

from tianmen_events import EventMeta
from tianmen_events.credit import CreditScoreChanged


def history_row(event: CreditScoreChanged, meta: EventMeta) -> dict[str, object]:
    reasons = [reason.model_dump() for reason in event.reasons]
    return {
        "event_id": meta.id,
        "enterprise_id": event.enterprise_id,
        "sequence": meta.sequence,
        "time": meta.time.isoformat(),
        "score_before": event.score_before,
        "score": event.score,
        "grade_before": event.grade_before,
        "grade": event.grade,
        "model_version": event.model_version,
        "reasons": json.dumps(reasons, ensure_ascii=False, sort_keys=True),
    }
