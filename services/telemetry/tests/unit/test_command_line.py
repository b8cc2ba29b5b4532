"""`python -m tianmen_telemetry --help` lists track retention beside the shared commands."""

from __future__ import annotations

import subprocess
import sys


def run(*argv: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tianmen_telemetry", *argv],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_help_lists_prune_tracks_with_the_shared_commands() -> None:
    shown = run("--help")

    for command in ("serve", "worker", "replay", "redrive", "prune-tracks"):
        assert f"    {command} " in shown, command


def test_prune_tracks_keeps_its_own_help() -> None:
    assert "--keep-days" in run("prune-tracks", "--help")
