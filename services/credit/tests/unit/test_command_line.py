"""`python -m tianmen_credit --help` lists the auditor's commands beside the service's own."""

from __future__ import annotations

import subprocess
import sys


def test_help_lists_the_auditor_commands_with_the_shared_ones() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "tianmen_credit", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout

    for command in ("serve", "replay", "what-if", "as-of", "bundle", "verify", "diverge"):
        assert f"    {command} " in shown, command
    assert "who would change grade under a candidate model" in shown


def test_an_auditor_command_keeps_its_own_help() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "tianmen_credit", "bundle", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout

    assert "--enterprise" in shown and "--out" in shown
