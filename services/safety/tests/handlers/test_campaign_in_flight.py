"""A filing under a campaign the worker applies meanwhile still finds the campaign: where a
command reads it (`campaign_of`: its row, else its event in flight on the docket) the two reads
are statements of their own, and on PostgreSQL (read committed) each sees every commit before
it. Seen once as a 422 (`no campaign`) to a hazard filed right after its campaign in
tests/integration/test_safety_inspections.py[postgresql]."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from tianmen_events.registry.machines import MachineKind
from tianmen_runtime.commands import run_command
from tianmen_runtime.service import Service
from tianmen_safety.adapters import campaign_rows, case_rows
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings
from tianmen_safety.domain import campaigns
from tianmen_safety.service_layer import campaign_scope
from tianmen_safety.service_layer.filings import File, file

SHANGHAI = timezone(timedelta(hours=8))
START = datetime(2026, 3, 1, tzinfo=SHANGHAI)
CAMPAIGN = campaigns.Campaign(
    title="起重机械重大隐患专项整治",
    jurisdictions=("429006",),
    categories=(MachineKind.TOWER_CRANE,),
    starts_at=START,
    ends_at=START + timedelta(days=90),
    checklist_version="hoisting-major-hazards/2022",
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Service:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'safety.db'}"
    else:
        create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
        url = create("tianmen_safety")
    return build(Settings(database_url=url))


def test_a_campaign_applied_between_the_two_reads_is_still_found(
    store: Service, settle: Callable[[Service], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a campaign launched and still in flight, when the worker applies it right after
    the first of the command's reads (whichever that is), then the command still finds it."""
    launched = run_command(store.engine, store.source, file, File(CAMPAIGN, "city-1"), START)
    campaign_id: str = launched.event.campaign_id  # type: ignore[attr-defined]
    applied: list[list[str]] = []

    def then_applied(read: Callable[..., Any]) -> Callable[..., Any]:
        def reading(*args: Any) -> Any:
            found = read(*args)
            if not applied:  # the worker commits the campaign's row and position meanwhile
                applied.append([])
                applied[0] += settle(store)
            return found

        return reading

    reads = [(campaign_rows, "campaign"), (case_rows, "in_flight")]
    for module, name in reads:
        monkeypatch.setattr(module, name, then_applied(getattr(module, name)))
    with store.engine.connect() as conn:
        found = campaign_scope.campaign_of(conn, campaign_id)
    assert applied and applied[0], "the worker's commit was never interleaved"
    assert found is not None and found.campaign_id == campaign_id
