"""The domain imports only the standard library's pure parts and the event contracts."""

from __future__ import annotations

from pathlib import Path

import tianmen_registry.domain
from tianmen_runtime.testing import domain_modules, impure_domain_imports

# tianmen_registry.domain, not tianmen_registry: the domain may import itself, not the service.
ALLOWED = {
    "__future__",
    "collections",
    "dataclasses",
    "enum",
    "functools",
    "re",
    "typing",
    "tianmen_events",
    "tianmen_registry.domain",
}
DOMAIN = Path(tianmen_registry.domain.__file__).parent


def test_domain_imports_nothing_impure() -> None:
    assert len(domain_modules(DOMAIN)) >= 4
    assert impure_domain_imports(DOMAIN, ALLOWED) == {}
