"""One architecture test for every service: pure domains, no service-to-service imports, no dev
kit in anything that ships. Each rule is also shown failing on a planted scratch module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture.rules import (
    Module,
    clock_or_randomness,
    foreign_imports,
    impure_imports,
    modules_below,
)

ROOT = Path(__file__).resolve().parents[2]
SERVICE_SRCS = sorted(ROOT.glob("services/*/src"))
PACKAGES = {
    src: next(p for p in src.iterdir() if p.name.startswith("tianmen_")) for src in SERVICE_SRCS
}
SERVICE_PACKAGES = sorted(package.name for package in PACKAGES.values())
SHIPPED_LIBS = [ROOT / "libs/runtime/src", ROOT / "libs/events/src"]


def _domain(src: Path) -> list[Module]:
    return modules_below(src, PACKAGES[src] / "domain")


def test_every_service_is_seen() -> None:
    assert len(SERVICE_PACKAGES) == 6, SERVICE_PACKAGES
    with_domain = [src for src in SERVICE_SRCS if (PACKAGES[src] / "domain").is_dir()]
    assert len(with_domain) == 5
    assert all(len(_domain(src)) >= 3 for src in with_domain)


@pytest.mark.parametrize("src", SERVICE_SRCS, ids=lambda src: src.parent.name)
def test_domain_imports_only_pure_stdlib_the_contracts_and_itself(src: Path) -> None:
    assert impure_imports(_domain(src), f"{PACKAGES[src].name}.domain") == []


@pytest.mark.parametrize("src", SERVICE_SRCS, ids=lambda src: src.parent.name)
def test_domain_never_reads_the_clock_or_randomness(src: Path) -> None:
    assert clock_or_randomness(_domain(src)) == []


HTTP_CONTRACTS = tuple(f"{name}.entrypoints.schemas" for name in SERVICE_PACKAGES)
"""Each service's HTTP request and response models (a module, or a package of them). The gateway
publishes them, so it imports them: one definition of what a service answers, not a copy that
drifts. Nothing else of another service may be imported, by the gateway or by anyone."""


def _a_contract(module: str) -> bool:
    return any(module == c or module.startswith(f"{c}.") for c in HTTP_CONTRACTS)


@pytest.mark.parametrize("src", SERVICE_SRCS, ids=lambda src: src.parent.name)
def test_no_service_imports_another(src: Path) -> None:
    package = PACKAGES[src]
    others = [name for name in SERVICE_PACKAGES if name != package.name]
    found = foreign_imports(modules_below(src, package), others)
    if package.name == "tianmen_gateway":
        found = [f for f in found if not _a_contract(f.rpartition(" imports ")[2])]
    assert found == []


@pytest.mark.parametrize("src", [*SERVICE_SRCS, *SHIPPED_LIBS], ids=lambda src: src.parent.name)
def test_nothing_that_ships_imports_the_dev_kit(src: Path) -> None:
    package = next(p for p in src.iterdir() if p.name.startswith("tianmen_"))
    assert foreign_imports(modules_below(src, package), ["tianmen_devkit"]) == []


# The same checks on a planted scratch service: each must catch what was planted.

SCRATCH = """
import os
import random
from datetime import datetime
from uuid import uuid4

from sqlalchemy import select
from tianmen_events import derive_id
from tianmen_safety.domain.rules import RULES
from tianmen_devkit.kafka import LocalKafka
from tianmen_scratch.adapters import orm
from . import rules
from .. import bootstrap


def decide(state):
    when = datetime.now()
    return uuid4(), random.random(), os.getenv("X"), when, derive_id("ok")
"""


@pytest.fixture
def scratch(tmp_path: Path) -> list[Module]:
    domain = tmp_path / "tianmen_scratch" / "domain"
    domain.mkdir(parents=True)
    (domain / "__init__.py").write_text("")
    (domain / "rules.py").write_text("from dataclasses import dataclass\n")
    (domain / "ledger.py").write_text(SCRATCH)
    return modules_below(tmp_path, domain)


def test_planted_impure_imports_are_flagged(scratch: list[Module]) -> None:
    assert impure_imports(scratch, "tianmen_scratch.domain") == [
        "tianmen_scratch.domain.ledger imports os",
        "tianmen_scratch.domain.ledger imports random",
        "tianmen_scratch.domain.ledger imports sqlalchemy",
        "tianmen_scratch.domain.ledger imports tianmen_safety.domain.rules",
        "tianmen_scratch.domain.ledger imports tianmen_devkit.kafka",
        "tianmen_scratch.domain.ledger imports tianmen_scratch.adapters",
        "tianmen_scratch.domain.ledger imports tianmen_scratch.bootstrap",
    ]


def test_planted_clock_and_randomness_are_flagged(scratch: list[Module]) -> None:
    assert sorted(clock_or_randomness(scratch)) == [
        "tianmen_scratch.domain.ledger calls datetime.now",
        "tianmen_scratch.domain.ledger calls os.getenv",
        "tianmen_scratch.domain.ledger calls random.random",
        "tianmen_scratch.domain.ledger calls uuid4",
    ]


def test_planted_imports_of_another_service_and_the_dev_kit_are_flagged(
    scratch: list[Module],
) -> None:
    assert foreign_imports(scratch, ["tianmen_safety", "tianmen_devkit"]) == [
        "tianmen_scratch.domain.ledger imports tianmen_safety.domain.rules",
        "tianmen_scratch.domain.ledger imports tianmen_devkit.kafka",
    ]
