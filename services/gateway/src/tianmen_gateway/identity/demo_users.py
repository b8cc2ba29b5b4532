"""One seeded demo user per role (two testing agencies, to show each sees only its own tests),
for the built-in issuer (local use only)."""

from __future__ import annotations

from dataclasses import dataclass

from tianmen_events import derive_id

from tianmen_gateway.identity.principal import Role

CITY = "429006"
STATION = "429006-ST01"
"""城区站 (the registry's station codes: GB/T 2260 has no tier for stations)."""
TOWNSHIP = "429006001"
"""竟陵街道, under 城区站."""
DEMO_USCC = "91429006MA4TM0019B"
"""The enterprise of the README's walk-through; the demo enterprise user belongs to it."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    jurisdiction: str | None = None
    enterprise_id: str | None = None


def demo_users() -> dict[str, DemoUser]:
    demo_enterprise = derive_id("enterprise", DEMO_USCC)
    users = [
        DemoUser("city", Role.CITY_STAFF, CITY),
        DemoUser("station", Role.COUNTY_STAFF, STATION),
        DemoUser("township", Role.TOWNSHIP_STAFF, TOWNSHIP),
        DemoUser("inspector", Role.INSPECTOR, CITY),
        DemoUser("lab", Role.TESTING_AGENCY, enterprise_id="lab-1"),
        DemoUser("lab2", Role.TESTING_AGENCY, enterprise_id="lab-2"),  # sees only its own tests
        DemoUser("enterprise", Role.ENTERPRISE, enterprise_id=demo_enterprise),
        DemoUser("lender", Role.LENDER, enterprise_id="bank-1"),
        DemoUser("citizen", Role.CITIZEN),
        DemoUser("auditor", Role.AUDITOR),
        DemoUser("operator", Role.OPERATOR),
        DemoUser("platform", Role.TERMINAL_PLATFORM),
    ]
    return {user.username: user for user in users}
