"""The domain imports only the standard library's pure parts and the event contracts."""

from __future__ import annotations

from pathlib import Path

import tianmen_credit.domain
from tianmen_runtime.testing import clock_reads, domain_modules, impure_domain_imports

ALLOWED = {
    "__future__",
    "functools",
    "collections",
    "dataclasses",
    "typing",
    "tianmen_events",
    "tianmen_credit",
}
DOMAIN = Path(tianmen_credit.domain.__file__).parent


def test_domain_imports_nothing_impure() -> None:
    assert len(domain_modules(DOMAIN)) >= 3
    assert impure_domain_imports(DOMAIN, ALLOWED) == {}


def test_domain_never_reads_the_clock() -> None:
    assert clock_reads(DOMAIN) == {}
