"""What the live row needs of a ledger at its watermark, kept between facts: the sum of the
effects in force there and the first expiry after it. A fact arriving in event-time order with
nothing expiring before it adds its own items to the tally instead of a pass over all items,
so the live path costs the same however long the enterprise's history (decision 65).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tianmen_events.frozen import assembled

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger


@dataclass(frozen=True)
class Tally:
    at: datetime
    raw: int  # the sum of the effects in force at `at` (before the model's floor and ceiling)
    upcoming: datetime | None  # the first moment after `at` an item expires


def tally_of(ledger: Ledger, at: datetime) -> Tally:
    """A pass over the ledger's items."""
    items = ledger.items
    raw = sum(i.effect for i in items if i.in_force(at))
    upcoming = min((i.expires_at for i in items if i.expires_at > at), default=None)
    return Tally(at, raw, upcoming)


def advanced(
    tally: Tally, before: Ledger, after: Ledger, new: Sequence[Fact], at: datetime
) -> Tally | None:
    """The tally at `at` once `new` facts made `after` of `before`, from their items alone; None
    when that cannot be told without a pass: an item expires by `at`, a fact is earlier than
    the tally, or a repair changed an item already counted."""
    if at < tally.at or (tally.upcoming is not None and tally.upcoming <= at):
        return None
    if any(f.at < tally.at or f.kind == "repair_approved" for f in new):
        return None
    last = before.length - 1
    if last >= 0 and (
        after.length <= last or after.shelf.items[last] is not before.shelf.items[last]
    ):
        return None  # refolded: `after` is not `before` with items appended
    added = after.since(before.length)
    upcoming = [tally.upcoming] if tally.upcoming is not None else []
    return assembled(  # once a fact: every field, in order (`tianmen_events.frozen`)
        Tally,
        {
            "at": at,
            "raw": tally.raw + sum(i.effect for i in added if i.in_force(at)),
            "upcoming": min(
                [*upcoming, *(i.expires_at for i in added if i.expires_at > at)], default=None
            ),
        },
    )
