"""The domain stays pure: no I/O, frameworks, clocks or randomness (replay must agree)."""

from __future__ import annotations

from pathlib import Path

import tianmen_telemetry.domain
from tianmen_runtime.testing import clock_reads, impure_domain_imports

DOMAIN = Path(tianmen_telemetry.domain.__file__).parent
ALLOWED_ROOTS = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "typing",
    "zoneinfo",
    "tianmen_events",
    "tianmen_telemetry",
}


def test_domain_imports_only_the_stdlib_it_needs_and_the_contracts() -> None:
    assert impure_domain_imports(DOMAIN, ALLOWED_ROOTS) == {}


def test_domain_reads_no_clock() -> None:
    assert clock_reads(DOMAIN) == {}
