"""Which rules could fire on a report, from a few facts about it computed once.

Most rules cannot fire on most reports: a rule about work at night, a site or a stopped machine
needs a working report; a rule over two fixes needs a report in order after a held one; a tamper
rule needs an alarm. Each rule says what it needs (`needs`: the facts its `check` tests before
anything else, a bit each); `decide` computes a report's facts once (`facts`) and runs only the
rules whose needs they meet (and those holding an open alert, which a report may clear). A rule
left out is one whose `check` would have returned None: the property test in
`tests/unit/test_screening.py` holds every rule to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from tianmen_telemetry.domain.fuel_baseline import MIN_LEGS
from tianmen_telemetry.domain.register import ACTIVE

if TYPE_CHECKING:
    from tianmen_telemetry.domain.alerting import Rule, Seen

# What a report may be, a bit each (plain ints: an IntFlag's `|` costs a call into enum).
WORKING = 1 << 0  # the report says working
IDLE = 1 << 1  # the report says not working
FOLLOWS = 1 << 2  # a held state before it, and the report is newer (in order)
AFTER_WORK = 1 << 3  # the held state was working
AFTER_IDLE = 1 << 4  # the held state was not working
ALARMED = 1 << 5  # a terminal alarm is set
RUNNING = 1 << 6  # the state after it is in a run of work (`working_since`)
SITES = 1 << 7  # its enterprise had registered a site by then
ZONES = 1 << 8  # a restricted zone had been declared by then
STOPPED = 1 << 9  # the machine's standing is other than active
ENGINES = 1 << 10  # an engine number reported, and one registered
BASELINE = 1 << 11  # the held state has a fuel-use baseline judged from (`MIN_LEGS`)


def facts(seen: Seen) -> int:
    """The report's facts, one bit each."""
    report, before = seen.report, seen.before
    found = WORKING if report.working else IDLE
    if before is not None:
        found |= AFTER_WORK if before.working else AFTER_IDLE
        if seen.in_order:
            found |= FOLLOWS
        if before.fuel_rate_baseline is not None and before.fuel_rate_legs >= MIN_LEGS:
            found |= BASELINE
    if report.alarms:
        found |= ALARMED
    if seen.after.working_since is not None:
        found |= RUNNING
    return found | _register_facts(seen)


def _register_facts(seen: Seen) -> int:
    register = seen.register
    found = (SITES if register.sites else 0) | (ZONES if register.zones else 0)
    if register.standing.status != ACTIVE:
        found |= STOPPED
    if seen.report.engine_number and register.engine_number:
        found |= ENGINES
    return found


class RuleSet(Sequence["Rule"]):
    """Rules in their order, with the ones each set of facts lets fire (worked out once)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = tuple(rules)
        self._could_fire: dict[int, tuple[Rule, ...]] = {}

    def could_fire(self, found: int) -> tuple[Rule, ...]:
        rules = self._could_fire.get(found)
        if rules is None:
            rules = tuple(r for r in self._rules if r.needs & found == r.needs)
            self._could_fire[found] = rules
        return rules

    def __len__(self) -> int:
        return len(self._rules)

    @overload
    def __getitem__(self, index: int) -> Rule: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Rule]: ...

    def __getitem__(self, index: int | slice) -> Rule | Sequence[Rule]:
        return self._rules[index]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)


def rule_set(rules: Sequence[Rule]) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else RuleSet(rules)
