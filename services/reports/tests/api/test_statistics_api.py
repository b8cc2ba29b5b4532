"""A generated year of 186 tips with known outcomes gives exactly those figures, as of any date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tianmen_reports.adapters.media_store import LocalMediaStore
from tianmen_reports.bootstrap import build
from tianmen_reports.config import Settings
from tianmen_reports.entrypoints.api import build_api
from tianmen_runtime.service import Service

CST = timezone(timedelta(hours=8))
YEAR = datetime(2025, 1, 1, tzinfo=CST)
TIPS, VERIFIED, MAJOR = 186, 171, 17
JINGLING, COUNTY = (30.66, 113.16), (30.50, 113.00)


class Clock:
    def __init__(self) -> None:
        self.now = YEAR

    def __call__(self) -> datetime:
        return self.now


def hours_to_verify(i: int) -> int:
    return (i % 5 + 1) * 6


def is_major(i: int) -> bool:
    return i % 10 == 0 and i <= 160  # 0, 10, … 160: seventeen


def run_tip(client: TestClient, clock: Clock, i: int) -> None:
    submitted = YEAR + timedelta(hours=2 + 47 * i)
    clock.now = submitted
    latitude, longitude = JINGLING if i % 2 == 0 else COUNTY
    tip = {
        "category": "night_work",
        "description": f"第{i}条",
        "latitude": latitude,
        "longitude": longitude,
        "anonymous": True,
    }
    tip_id = client.post("/tips", json=tip).json()["tip_id"]
    staff = f"/staff/tips/{tip_id}"
    clock.now = submitted + timedelta(hours=1)
    client.post(f"{staff}/assign", json={"assignee": "s"}).raise_for_status()
    client.post(f"{staff}/start", json={"verifier": "s"}).raise_for_status()
    clock.now = submitted + timedelta(hours=hours_to_verify(i))
    if i >= VERIFIED:
        dismissal = {"verifier": "s", "outcome": "unfounded", "reason": "现场未见"}
        client.post(f"{staff}/dismiss", json=dismissal).raise_for_status()
        return
    body = {"verifier": "s", "enterprise_id": f"e{i}", "major_hazard": is_major(i)}
    client.post(f"{staff}/verify", json=body).raise_for_status()
    clock.now += timedelta(days=1)
    client.post(f"{staff}/reward/pay", json={"actor": "cashier"}).raise_for_status()


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root: Path = tmp_path_factory.mktemp("year")
    service: Service = build(Settings(database_url=f"sqlite:///{root / 'reports.db'}"))
    clock = Clock()
    with TestClient(build_api(service, clock=clock, media=LocalMediaStore(root))) as client:
        for i in range(TIPS):
            run_tip(client, clock, i)
        yield client


def figures(client: TestClient, **params: str) -> dict[str, object]:
    query = {
        "start": "2025-01-01T00:00:00+08:00",
        "end": "2026-01-01T00:00:00+08:00",
        "as_of": "2026-03-01T00:00:00+08:00",
        **params,
    }
    response = client.get("/statistics", params=query)
    assert response.status_code == 200, response.text
    figures: dict[str, object] = response.json()["figures"]
    return figures


def test_the_year_gives_exactly_the_figures_it_was_generated_with(year: TestClient) -> None:
    hours = [hours_to_verify(i) for i in range(VERIFIED)]
    got = figures(year)
    assert (got["received"], got["verified"], got["major_hazards"]) == (186, 171, 17)
    assert got["verified_rate"] == round(171 / 186, 4) == 0.9194
    assert got["average_hours_to_verify"] == round(sum(hours) / len(hours), 2)
    assert (got["rewards_paid"], got["rewards_paid_yuan"]) == (171, 154 * 50 + 17 * 200)


def test_a_township_counts_only_its_own_tips_and_the_county_counts_all(year: TestClient) -> None:
    township = figures(year, jurisdiction="429006001")
    assert (township["received"], township["verified"]) == (93, 86)
    assert township["major_hazards"] == 17  # every major one was at an even index
    assert figures(year, jurisdiction="429006")["received"] == 186


def test_as_of_a_date_only_what_was_known_then_counts(year: TestClient) -> None:
    # Tip i is submitted at hour 2 + 47 i: by hour 2140 (2025-03-31 04:00) tips 0..45 exist.
    early = figures(year, as_of="2025-03-31T04:00:00+08:00")
    assert early["received"] == 46
    # Tip 45 (hour 2117) is verified 6 h later (known) and paid a day after that (not yet).
    assert (early["verified"], early["rewards_paid"]) == (46, 45)
    first_half = figures(year, end="2025-07-01T00:00:00+08:00")
    assert first_half["received"] == len([i for i in range(TIPS) if 2 + 47 * i < 4344])
