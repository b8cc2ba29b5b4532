"""A report is charged to the machine's owner at the report's time: a `MachineTransferred`
(the terminal stays bound) makes the new owner's from its event time on, for the alerts and
for the owner's sites and night-work permits, while a report from before it (a buffered batch
arriving after the transfer) stays the old owner's. A transfer recorded after the report, in
whichever order the two are applied, changes nothing of it (decisions 78, 82)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_events.registry import (
    Hours,
    MachineTransferred,
    NightWorkPermitIssued,
    WorkSiteRegistered,
)
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts, live_states, machines
from tianmen_telemetry.config import Settings

from ..helpers import ENTERPRISE, MACHINE, at, bound, box, meta_for, registered, reported

SELLER, BUYER = ENTERPRISE, "enterprise-2"
NIGHT = at("2026-05-11T23:30:00")  # working; the buyer's permit covers its site, 22:00-02:00
STAMP = 1_778_500_000_000  # ms: the log's times
REPORTED = STAMP + 2000
ON_SITE: dict[str, Any] = {"latitude": 30.6531, "longitude": 113.1661}
OFF_SITE: dict[str, Any] = {"latitude": 30.70, "longitude": 113.25}


def _record(event: DomainEvent, name: str, when: datetime, stamp: int, offset: int) -> Record:
    return record_of(event, meta_for(event, name, when), offset=offset, timestamp=stamp)


def _buyers_site_and_permit() -> list[Record]:
    site = WorkSiteRegistered(
        site_id="site-b",
        enterprise_id=BUYER,
        name="东湖工地",
        jurisdiction_code="429006101",
        boundary=box(ON_SITE["latitude"], ON_SITE["longitude"], 0.002),
        permitted_hours=(Hours(start="06:00", end="22:00"),),
    )
    permit = NightWorkPermitIssued(
        site_id="site-b",
        permit_id="permit-b",
        enterprise_id=BUYER,
        hours=Hours(start="22:00", end="02:00"),
        valid_from=at("2026-05-11T00:00:00"),
        valid_until=at("2026-05-12T06:00:00"),
        reason="concrete pour",
    )
    earlier = NIGHT - timedelta(days=5)
    return [
        _record(site, "site-b", earlier, STAMP, 0),
        _record(permit, "permit-b", earlier, STAMP, 1),
    ]


def _transfer(dated: timedelta, recorded: int) -> Record:
    """The machine sold by SELLER to BUYER at NIGHT + `dated`, recorded by the log at
    `recorded`."""
    sold = MachineTransferred(
        machine_id=MACHINE, enterprise_id=BUYER, from_enterprise_id=SELLER, application_id="app-1"
    )
    return _record(sold, "sold", NIGHT + dated, recorded, 2)


def _run(
    transfer_first: bool, transfer: Record, where: dict[str, Any], directory: Path
) -> tuple[str, tuple[tuple[str, str], ...], str]:
    directory.mkdir()
    service = bootstrap.build(Settings(database_url=f"sqlite:///{directory / 't.db'}"))
    assert service.subscription is not None
    given = [
        _record(registered(), "m-1", NIGHT - timedelta(days=9), STAMP, 0),
        _record(bound(), "b-1", NIGHT - timedelta(days=9), STAMP, 1),
        *_buyers_site_and_permit(),
    ]
    report = reported(NIGHT, **where)
    sent = record_of(report, meta_for(report, "r-1", NIGHT), timestamp=REPORTED)
    pair = [transfer, sent] if transfer_first else [sent, transfer]
    for record in [*given, *pair]:
        assert apply_batch(service.engine, service.subscription, [record]) == ["applied"]
    with service.engine.connect() as conn:
        raised = conn.execute(select(alerts.c.rule, alerts.c.enterprise_id).order_by(alerts.c.rule))
        charged = conn.execute(select(live_states.c.enterprise_id)).scalar_one()
        owner = conn.execute(select(machines.c.enterprise_id)).scalar_one()
    assert owner == BUYER, "the views list the machine in its buyer's fleet"
    return service.digest(), tuple((r.rule, r.enterprise_id) for r in raised), charged


@pytest.mark.parametrize(
    "dated,recorded,where,charged,raised",
    [
        # sold before the report, said before it: the buyer's, on the buyer's permitted site
        (timedelta(hours=-1), STAMP + 1000, ON_SITE, BUYER, ()),
        # ... off the buyer's site: the buyer's alerts (a site of the buyer's is judged)
        (
            timedelta(hours=-1),
            STAMP + 1000,
            OFF_SITE,
            BUYER,
            (("night_work", BUYER), ("work_outside_site", BUYER)),
        ),
        # sold after the report (a buffered batch arriving after the transfer): the seller's,
        # whose permit there is none of
        (timedelta(hours=1), STAMP + 1000, ON_SITE, SELLER, (("night_work", SELLER),)),
        (timedelta(hours=1), STAMP + 3000, ON_SITE, SELLER, (("night_work", SELLER),)),
        # sold before the report's time, but recorded after the report: not known to it
        (timedelta(hours=-1), STAMP + 3000, ON_SITE, SELLER, (("night_work", SELLER),)),
    ],
)
def test_a_report_is_charged_to_the_owner_at_its_time_in_either_order(
    dated: timedelta,
    recorded: int,
    where: dict[str, Any],
    charged: str,
    raised: tuple[tuple[str, str], ...],
    tmp_path: Path,
) -> None:
    """A transfer recorded before the report is applied before it (the consumer's hold, live
    and in a replay); one recorded after it may be applied before or after it."""
    transfer = _transfer(dated, recorded)
    orders = (True, False) if recorded > REPORTED or dated > timedelta(0) else (True,)
    results = {_run(first, transfer, where, tmp_path / str(first)) for first in orders}
    assert len(results) == 1, "the order they were applied in changed the outcome"
    [(_, alerts_raised, owner)] = results
    assert alerts_raised == raised
    assert owner == charged
