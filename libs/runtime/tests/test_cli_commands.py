"""A service's own commands run through the shared command line without building the service."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from tianmen_runtime.cli import Command, main_with
from tianmen_runtime.service import Service


def never_built() -> Service:
    raise AssertionError("the service was built for a command of its own")


def test_a_service_command_runs_with_its_arguments_and_its_exit_status() -> None:
    seen: list[Sequence[str]] = []

    def prune(argv: Sequence[str]) -> int:
        seen.append(argv)
        return 3

    with pytest.raises(SystemExit) as exited:
        main_with(never_built, [Command("prune", "prune things", prune)], ["prune", "--days", "9"])

    assert exited.value.code == 3
    assert seen == [["--days", "9"]]


def test_a_shared_command_builds_the_service() -> None:
    with pytest.raises(AssertionError, match="was built"):
        main_with(never_built, [Command("prune", "prune things", lambda argv: 0)], ["digest"])
