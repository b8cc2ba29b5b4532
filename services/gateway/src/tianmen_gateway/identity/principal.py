"""The caller, as a verified token names them: subject, role, jurisdiction, enterprise."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CITY_STAFF = "city_staff"
    COUNTY_STAFF = "county_staff"
    TOWNSHIP_STAFF = "township_staff"
    INSPECTOR = "inspector"
    """Joint-enforcement inspectors of other departments: read within their jurisdiction."""
    TESTING_AGENCY = "testing_agency"
    """Accredited city-wide: files third-party tests anywhere, reads only the tests it filed."""
    ENTERPRISE = "enterprise"
    LENDER = "lender"
    CITIZEN = "citizen"
    AUDITOR = "auditor"
    """Reads everything, changes nothing."""
    OPERATOR = "operator"
    """IT operations: health and metrics only."""
    TERMINAL_PLATFORM = "terminal_platform"
    """The JT/T 808 platform that forwards terminal reports: ingest only."""


STAFF = frozenset({Role.CITY_STAFF, Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF})
JURISDICTIONAL = STAFF | {Role.INSPECTOR}
"""Roles that see what lies in their jurisdiction (and below)."""
READERS = JURISDICTIONAL | {Role.AUDITOR, Role.ENTERPRISE}
"""Roles that read enterprises, machines, terminals and alerts, each within their scope."""


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    jurisdiction: str | None = None
    enterprise_id: str | None = None
    """An enterprise user's enterprise; a lender's institution; a testing agency's id."""

    @property
    def agency_id(self) -> str | None:
        """A testing agency's id (the token's enterprise claim): the tests it files name it."""
        return self.enterprise_id if self.role is Role.TESTING_AGENCY else None


def anonymous(address: str) -> Principal:
    """A caller without a token where a route lets one do without (an Open311 client): a
    citizen known only by their address, so the per-caller rate limit, idempotency keys and
    reports' per-reporter limit (on the address's pseudonym) hold for them too."""
    return Principal(subject=f"anonymous:{address}", role=Role.CITIZEN)
