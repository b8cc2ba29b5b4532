"""Ledgers kept in memory between transactions: a rebuild touches each enterprise once per
batch, and reading and folding all its facts every time would make the rebuild quadratic. Each
is kept with its facts in event-time order and checkpoints (`domain/timeline.py`), so a fact
late by more than a transaction folds in from the checkpoint before its place.

An entry is used only while the store's row says what it said when the entry was kept (the
same row and fact count): a transaction that rolled back, or another worker that added a fact,
leaves the row different, and the ledger is read again from the facts.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from tianmen_credit.domain.ledger import Ledger
from tianmen_credit.domain.live import Scored
from tianmen_credit.domain.tally import Tally
from tianmen_credit.domain.timeline import Timeline


@dataclass(frozen=True)
class Kept:
    row: Scored
    count: int  # the enterprise's facts
    timeline: Timeline  # its facts in event-time order, its ledger checkpointed
    tally: Tally | None = None  # the ledger's at the row's watermark (`domain/tally.py`)

    @property
    def ledger(self) -> Ledger:
        return self.timeline.ledger


class Ledgers:
    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.kept: OrderedDict[str, Kept] = OrderedDict()

    def get(self, row: Scored, count: int) -> Kept | None:
        found = self.kept.get(row.enterprise_id)
        if found is None or (found.row, found.count) != (row, count):
            return None
        self.kept.move_to_end(row.enterprise_id)
        return found

    def keep(self, kept: Kept) -> None:
        self.kept[kept.row.enterprise_id] = kept
        self.kept.move_to_end(kept.row.enterprise_id)
        while len(self.kept) > self.limit:
            self.kept.popitem(last=False)
