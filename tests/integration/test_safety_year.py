"""A year of events for three enterprises over the real broker and all six services, through
the gateway: terminal reports become alerts and cases (confirmed by rule or by staff, one
dismissed, one escalated to the city, one revoked on appeal); inspections of all three kinds
and a campaign with a stop-use order that the registry (the machine is suspended) and telemetry
(the suspended machine working is charged) react to; a new cycle. Then the ledgers, the lists
as of dates, the campaign report, and safety's replay digest equals the live one.

- A: ten tamper alarms in the old cycle take its points to 0 (bidding suspension at 60, key
  supervision at 0), during the campaign; 90 days without a new violation take it off the key-
  supervision list; a night's work in the new cycle.
- B: a night's work (by rule), three overlong runs (confirmed then revoked on appeal,
  dismissed, left to escalate); under the campaign a failed spot check, a third-party test and
  two hazards (stop-use and rectification; violations found under the campaign), both closed
  by a passed re-inspection.
- C: two self-inspections and a passed spot check: no violation."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite
from tianmen_runtime.testing import every_page

from tests.integration import year
from tests.integration.cab import texts_to_the_cab
from tests.integration.drain import wait_until_drained
from tests.integration.helpers import (
    Vouched,
    bind_new_machine,
    bind_terminal,
    eventually,
    register_enterprise,
)
from tests.integration.test_enforcement_chain import _replayed_digest as replayed_digest
from tests.integration.test_registry_stop_use import registered_through_the_counter
from tests.integration.test_safety_desk import replay_matches_live
from tests.integration.year_steps import Year, file_campaign, order_stop_use

pytestmark = pytest.mark.integration
DAYTIME, NIGHT = time(8, 0), time(23, 30)


def _cases(gateway: httpx.Client, enterprise_id: str) -> list[dict[str, Any]]:
    return every_page(gateway, "/cases", 100, enterprise_id=enterprise_id)


def _decide(gateway: httpx.Client, case_id: str, decision: str, reason: str = "") -> None:
    answer = gateway.post(f"/cases/{case_id}/{decision}", json={"reason": reason})
    assert answer.status_code == 202, answer.text


def _ledger(gateway: httpx.Client, enterprise_id: str, cycle: int) -> tuple[int, int, bool, bool]:
    body = gateway.get(f"/enterprises/{enterprise_id}/safety", params={"year": cycle}).json()
    flags = (body["bidding_suspended"], body["key_supervision"])
    return (body["balance"], body["violation_count"], *flags)


def _listed(gateway: httpx.Client, name: str, as_of: datetime, mine: set[str]) -> list[str]:
    items = every_page(gateway, f"/lists/{name}", 200, as_of=as_of.astimezone(UTC).isoformat())
    return sorted(item["enterprise_id"] for item in items if item["enterprise_id"] in mine)


def _the_old_cycle(gateway: httpx.Client, y: Year) -> None:
    """A's tamper alarms, B's night and overlong runs; the staff's decisions on B's runs."""
    a, b = y.machines["a"]["terminal_id"], y.machines["b"]["terminal_id"]
    reports = [year.tampered(a, year.on(y.boundary, -240 + 10 * n, DAYTIME)) for n in range(10)]
    reports.append(year.report(b, year.on(y.boundary, -280, NIGHT)))
    reports += [r for d in (-250, -200, -150) for r in year.run(b, year.on(y.boundary, d, DAYTIME))]
    reports.append(year.report(a, year.on(y.boundary, 10, NIGHT)))  # the new cycle
    year.send(gateway, reports)

    def overlong() -> list[dict[str, Any]] | None:
        runs = [c for c in _cases(gateway, y.enterprises["b"]) if c["code"].startswith("contin")]
        return sorted(runs, key=lambda c: c["occurred_at"]) if len(runs) == 3 else None

    confirm, dismiss, ignore = eventually(overlong, what="B's three overlong-work cases")
    y.escalated = ignore["case_id"]
    _decide(gateway, confirm["case_id"], "acknowledge")
    _decide(gateway, confirm["case_id"], "confirm")
    _decide(gateway, dismiss["case_id"], "dismiss", "the operator's break was logged on paper")
    eventually(
        lambda: gateway.get(f"/cases/{confirm['case_id']}").json()["state"] == "confirmed",
        what="the confirmation to take effect",
    )
    _decide(gateway, confirm["case_id"], "appeal", "the run was two shifts: the log shows it")


def test_a_year_of_events_gives_the_expected_ledgers_lists_and_campaign_report(
    gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    now = datetime.now(UTC)
    y = Year(boundary=year.cycle_boundary(now))
    y.enterprises["b"], machine_id, number = registered_through_the_counter(gateway)
    y.machines["b"] = bind_terminal(gateway, y.enterprises["b"], machine_id) | {
        "registration_number": number
    }
    for name in ("a", "c"):
        y.enterprises[name] = register_enterprise(gateway)
        y.machines[name] = bind_new_machine(gateway, y.enterprises[name])
    _the_old_cycle(gateway, y)
    campaign_id = file_campaign(gateway, y)
    charged_at, texts = order_stop_use(gateway, suite, y, campaign_id)
    wait_until_drained(suite)
    # No terminal is connected to the JT/T 808 server: the text did not reach the cab, and
    # telemetry says so, once (the unreached rule of one group member, decision 100; the text
    # stays owed, sent if the terminal logs in).
    [text] = texts_to_the_cab(bootstrap_servers, texts[0]["order_id"])
    assert (text["outcome"], text["terminal_id"]) == ("offline", y.machines["b"]["terminal_id"])
    assert text["enterprise_id"] == y.enterprises["b"] and "停用通知" in text["text"]

    ent, old, new = y.enterprises, y.boundary.year - 1, y.boundary.year
    # Listed at 0 points, then 90 days without a new violation: delisted (bidding stays off).
    assert _ledger(gateway, ent["a"], old) == (0, 10, True, False)
    assert _ledger(gateway, ent["a"], new) == (95, 1, False, False)
    # 2 came back; the campaign's two hazards are violations too (major 12, general 3)
    assert _ledger(gateway, ent["b"], old) == (100 - 5 - 2 + 2 - 12 - 3, 4, False, False)
    night = 5 if year.is_night(charged_at) else 0  # the charged work may fall in the night too
    assert _ledger(gateway, ent["b"], new) == (100 - 12 - night, 1 + (night > 0), False, False)
    assert (
        _ledger(gateway, ent["c"], old) == _ledger(gateway, ent["c"], new) == (100, 0, False, False)
    )
    [restored] = every_page(gateway, f"/enterprises/{ent['b']}/safety/restorations", 50, year=old)
    assert restored["points"] == 2

    mine = set(ent.values())
    listed_at = year.on(y.boundary, -150, DAYTIME)  # A's tenth tamper alarm
    assert _listed(gateway, "key-supervision", listed_at - timedelta(days=1), mine) == []
    in_period, after_period = (listed_at + timedelta(days=d) for d in (89, 91))
    assert _listed(gateway, "key-supervision", in_period, mine) == [ent["a"]]
    assert _listed(gateway, "key-supervision", after_period, mine) == []  # delisted meanwhile
    assert _listed(gateway, "bidding-suspension", listed_at, mine) == [ent["a"]]
    assert _listed(gateway, "key-supervision", now, mine) == []  # the new cycle starts afresh
    assert _listed(gateway, "bidding-suspension", now, mine) == []

    # Who held a decided case when it was decided depends on when the desk's clock ticked; the
    # case nobody handled has gone up both tiers by the time the pipeline drained.
    states = sorted((c["code"], c["state"]) for c in _cases(gateway, ent["b"]))
    assert [s for s in states if s[0].startswith("contin")] == [
        ("continuous_work_beyond_limit", "dismissed"),
        ("continuous_work_beyond_limit", "open"),
        ("continuous_work_beyond_limit", "revoked"),
    ]
    escalated = gateway.get(f"/cases/{y.escalated}").json()
    assert (escalated["tier"], escalated["escalations"], escalated["state"]) == ("city", 2, "open")
    assert ("stopped_machine_working", "confirmed") in states
    assert {(c["state"]) for c in _cases(gateway, ent["a"])} == {"confirmed"}

    report = gateway.get(f"/campaigns/{campaign_id}/report").json()
    assert report | {"campaign_id": None} == {
        "campaign_id": None,
        "machines_checked": 3,
        "hazards": 2,
        "hazards_by_severity": {"grave": 1, "serious": 1},
        "hazard_machines": 1,
        "major_hazard_machines": 1,
        "stop_use_orders": 1,
        "rectified_on_time": 2,
        "rectified_late": 0,
        "open_orders": 0,
        "key_supervision_enterprises": 1,  # A, spot-checked, its points cleared meanwhile
    }
    kinds = {
        name: sorted(i["kind"] for i in every_page(gateway, "/inspections", 50, enterprise_id=eid))
        for name, eid in ent.items()
    }
    assert kinds == {
        "a": ["spot_check"],
        "b": ["spot_check", "third_party"],
        "c": ["self", "self", "spot_check"],
    }

    auth = Vouched(suite.identity_key_file)
    with httpx.Client(base_url=suite.url("safety"), timeout=10, auth=auth) as safety:
        replay_matches_live(safety, bootstrap_servers)
    # Telemetry's reaction replays too (the cab's answer is a record of the world: not derived).
    live = gateway.get("/audit/digests").json()["telemetry"]
    assert replayed_digest("telemetry", bootstrap_servers) == live
