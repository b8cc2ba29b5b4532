"""Dated items of the registry's word (standings, sites, zones by their dates; permits) as
a report sees them: what had been said by its own time, and recorded by the log before it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Generic, NamedTuple, TypeVar

from tianmen_telemetry.domain.register import Standing
from tianmen_telemetry.domain.standings import Said, standing_of

T = TypeVar("T")
EVER = datetime.min.replace(tzinfo=UTC)  # for items in force whatever the report's time


def recorded_before(item_ms: int | None, report_ms: int | None) -> bool:
    """The item reached the log strictly before the report (decision 78): live and in a replay
    alike, whatever order they were applied in. A stamp not known (a row stored before stamps
    were kept, a record made by hand) counts as before, as everything did then."""
    return item_ms is None or report_ms is None or item_ms < report_ms


class Dated(NamedTuple, Generic[T]):
    """A tuple, not a frozen dataclass: one is built for each row the register book reads, a
    row for each of a transaction's machines (the dataclass's constructor cost twice as much)."""

    since: datetime
    item: T
    recorded: int | None = None  # the log's time of the record that said it, ms


class Timeline(Generic[T]):
    """Dated items in their order; those said by an instant and recorded before a report, all
    of them (one tuple, built once) for a report after the latest of both, as nearly every
    report is."""

    def __init__(self, dated: list[Dated[T]]) -> None:
        self.dated = dated
        self.latest = max((d.since for d in dated), default=None)
        self.last_recorded = max(
            (d.recorded for d in dated if d.recorded is not None), default=None
        )
        self.every = tuple(d.item for d in dated)

    def as_of(self, at: datetime, recorded: int | None = None) -> tuple[T, ...]:
        if (self.latest is None or self.latest <= at) and recorded_before(
            self.last_recorded, recorded
        ):
            return self.every
        return tuple(
            d.item for d in self.dated if d.since <= at and recorded_before(d.recorded, recorded)
        )


NO_ITEMS: Timeline[Any] = Timeline([])


class Standings:
    """A machine's standing as a report meets it: folded from what was said by the report's
    time and recorded before it (the fold of everything, once, for a report after all of it)."""

    def __init__(self, said: Timeline[Said]) -> None:
        self.said = said
        self.every = standing_of(said.every)

    def as_of(self, at: datetime, recorded: int | None) -> Standing:
        known = self.said.as_of(at, recorded)
        return self.every if known is self.said.every else standing_of(known)
