"""domain/ imports only the standard library's pure parts and tianmen_events."""

from __future__ import annotations

from pathlib import Path

from tianmen_runtime.testing import CLOCK_NAMES, clock_reads, domain_modules, impure_domain_imports

DOMAIN = Path(__file__).parents[2] / "src" / "tianmen_reports" / "domain"
# tianmen_reports.domain, not tianmen_reports: the domain may import itself, not the service.
ALLOWED_ROOTS = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "functools",
    "enum",
    "re",
    "typing",
    "urllib",
    "tianmen_events",
    "tianmen_reports.domain",
}
# Not even `time` by name (`from datetime import time`).
FORBIDDEN_NAMES = CLOCK_NAMES | {"time"}


def test_domain_modules_exist() -> None:
    assert len(domain_modules(DOMAIN)) >= 3


def test_domain_imports_nothing_impure() -> None:
    assert impure_domain_imports(DOMAIN, ALLOWED_ROOTS) == {}


def test_domain_never_reads_the_clock() -> None:
    assert clock_reads(DOMAIN, names=FORBIDDEN_NAMES) == {}
