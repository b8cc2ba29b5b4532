"""An enterprise's audit bundle: the events that decided its grade up to the period's end, the
model (as data) and rule versions, a hash chain, and the answer claimed. `verify` needs only
this package and the file: it checks the chain, decodes the events and replays them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tianmen_events.catalog import upcast
from tianmen_runtime.audit_bundle import BundleError, read_bundle, write_bundle
from tianmen_runtime.log_reader import Logged

from tianmen_credit.audit.views import change_view, standing_view
from tianmen_credit.domain.facts import Fact, fact_of
from tianmen_credit.domain.ledger import ledger_of
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import changes, standing

FORMAT = "tianmen.credit.audit-bundle/1"


@dataclass(frozen=True)
class Verified:
    enterprise_id: str
    claim: dict[str, Any]
    events: int


def export_bundle(
    history: list[Logged], enterprise_id: str, start: datetime, end: datetime, model: ModelSpec
) -> bytes:
    chosen = [e for e in history if _decides(e, enterprise_id, end)]
    header = {
        "format": FORMAT,
        "enterprise_id": enterprise_id,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "model": model.to_dict(),
        "rule_versions": sorted(
            {str(v) for e in chosen if (v := getattr(e.event, "rule_version", None))}
        ),
    }
    entries = [_entry(e) for e in chosen]
    return write_bundle(header, entries, _claim(_facts(entries), enterprise_id, start, end, model))


def verify_bundle(data: bytes) -> Verified:
    """Check the chain, replay the events under the bundle's model and compare with the claim."""
    bundle = read_bundle(data)
    head = bundle.header
    try:
        model = ModelSpec.from_dict(head["model"])
        start, end = datetime.fromisoformat(head["from"]), datetime.fromisoformat(head["to"])
        replayed = _claim(_facts(bundle.entries), head["enterprise_id"], start, end, model)
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(f"cannot replay the bundle: {exc}") from None
    if replayed != bundle.trailer:
        raise BundleError("replaying the events does not give the answer the bundle claims")
    return Verified(head["enterprise_id"], replayed, len(bundle.entries))


def _decides(e: Logged, enterprise_id: str, end: datetime) -> bool:
    facts = fact_of(e.event, e.meta.id, e.meta.time, e.recorded_at)
    return any(f.enterprise_id == enterprise_id and f.at <= end for f in facts)


def _entry(e: Logged) -> dict[str, Any]:
    return {
        "id": e.meta.id,
        "type": e.meta.type,
        "schema_version": e.meta.schema_version,
        "time": e.meta.time.isoformat(),
        "recorded_at": e.recorded_at.isoformat(),
        "where": f"{e.topic}/{e.partition}@{e.offset}",
        "payload": e.event.model_dump(mode="json"),
    }


def _facts(entries: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> list[Fact]:
    found = []
    for x in entries:
        event = upcast(x["type"], int(x["schema_version"]), x["payload"])
        at, recorded = datetime.fromisoformat(x["time"]), datetime.fromisoformat(x["recorded_at"])
        found += fact_of(event, x["id"], at, recorded)
    return found


def _claim(
    facts: list[Fact], enterprise_id: str, start: datetime, end: datetime, model: ModelSpec
) -> dict[str, Any]:
    ledger = ledger_of(enterprise_id, [f for f in facts if f.enterprise_id == enterprise_id], model)
    return {
        "standing_at_end": standing_view(standing(ledger, model, end)),
        "standing_at_start": standing_view(standing(ledger, model, start)),
        "grade_changes": [change_view(c) for c in changes(ledger, model, end) if c.at >= start],
    }
