"""Housekeeping a newcomer would notice: replay cleans up after itself, nothing another user
could read holds personal data, and every derived read says how current it is."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import Vouched, env_with, eventually

pytestmark = pytest.mark.integration


def test_replay_into_a_scratch_store_leaves_no_copy_of_the_state_behind(
    suite: Suite, bootstrap_servers: str, tmp_path: Path
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "tianmen_safety", "replay"],
        env={**env_with(bootstrap_servers), "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "digest: " in done.stdout and "scratch store (removed)" in done.stdout
    assert list(scratch.iterdir()) == []


def test_logs_and_stores_are_readable_by_their_owner_only(suite: Suite) -> None:
    files = [p for p in suite.var_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files)
    readable_by_others = [
        str(p) for p in files if stat.S_IMODE(p.stat().st_mode) & (stat.S_IRWXG | stat.S_IRWXO)
    ]
    assert readable_by_others == []


@pytest.mark.parametrize("service", ["telemetry", "safety", "credit"])
def test_derived_reads_carry_the_consumer_lag(suite: Suite, service: str) -> None:
    def measured() -> str | None:
        lag = httpx.get(
            f"{suite.url(service)}/digest", timeout=10, auth=Vouched(suite.identity_key_file)
        ).headers.get("x-consumer-lag")
        return lag if lag not in (None, "unknown") else None

    lag = eventually(measured, timeout=60, what=f"{service} to measure its lag")
    assert int(lag) >= 0
