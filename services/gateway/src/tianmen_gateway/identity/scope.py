"""What one caller may see: enterprises by role, jurisdiction or ownership; the objects under them.

The jurisdiction of an enterprise is looked up in one place, `division_of`: the registry view's
`jurisdiction_code` (a township, a station or the city), in the registry's own tier table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from tianmen_events.telemetry import AlertRaised
from tianmen_registry.entrypoints.schemas import (
    ApplicationView,
    EnterpriseView,
    MachineFile,
    MachineView,
    SiteView,
)
from tianmen_reports.entrypoints.schemas.progress import Progress
from tianmen_safety.entrypoints.schemas import CaseView, OrderView
from tianmen_telemetry.entrypoints.schemas import TerminalView

from tianmen_gateway.adapters.upstream import Upstreams, conform, segment
from tianmen_gateway.identity.jurisdictions import Jurisdictions
from tianmen_gateway.identity.principal import JURISDICTIONAL, Principal, Role

Owned = TypeVar("Owned", ApplicationView, SiteView)
MAX_DIVISIONS = 100_000
CITY = "429006"
"""A tip reports has not routed to a division is the whole city's."""


@dataclass
class Visibility:
    principal: Principal
    upstreams: Upstreams
    jurisdictions: Jurisdictions
    divisions: dict[str, str] = field(default_factory=dict)
    """Enterprises' divisions, shared by the gateway's requests: a division is the USCC's, so
    it never changes (an enterprise the registry does not know is asked again next time)."""
    fetched: dict[str, httpx.Response] = field(default_factory=dict)
    """The registry's answers to the scope check, by path, for the route to reuse."""
    _machines: dict[str, str | None] = field(default_factory=dict)

    def sees_division(self, code: str | None) -> bool:
        scope = self.principal.jurisdiction
        if self.principal.role not in JURISDICTIONAL or scope is None or code is None:
            return False
        return self.jurisdictions.contains(scope, code)

    async def sees_enterprise(self, enterprise_id: str, division: str | None = None) -> bool:
        role = self.principal.role
        if role is Role.AUDITOR:
            return True
        if role is Role.ENTERPRISE:
            return enterprise_id == self.principal.enterprise_id
        if role not in JURISDICTIONAL:
            return False
        return self.sees_division(division or await self.division_of(enterprise_id))

    async def sees_view(self, view: EnterpriseView) -> bool:
        return await self.sees_enterprise(view.enterprise_id, view.jurisdiction_code)

    async def division_of(self, enterprise_id: str) -> str | None:
        """The enterprise's division (None if the registry does not know it)."""
        if enterprise_id not in self.divisions:
            path = f"/enterprises/{segment(enterprise_id)}"
            response = await self.upstreams.call("registry", "GET", path)
            if response.status_code != 200:
                return None
            if len(self.divisions) >= MAX_DIVISIONS:
                self.divisions.clear()
            view = conform("registry", response, EnterpriseView)
            self.divisions[enterprise_id] = view.jurisdiction_code
        return self.divisions[enterprise_id]

    async def sees_machine(self, machine_id: str) -> bool:
        if self.principal.role is Role.AUDITOR:
            return True
        path = f"/machines/{segment(machine_id)}"
        response = self.fetched[path] = await self.upstreams.call("registry", "GET", path)
        if response.status_code != 200:
            return False
        machine = conform("registry", response, MachineView)
        return await self.sees_enterprise(machine.enterprise_id)

    async def sees_application(self, application_id: str) -> bool:
        path = f"/applications/{segment(application_id)}"
        return await self._sees_owner_of(path, ApplicationView)

    async def sees_site(self, site_id: str) -> bool:
        return await self._sees_owner_of(f"/sites/{segment(site_id)}", SiteView)

    async def _sees_owner_of(self, path: str, view: type[Owned]) -> bool:
        """Whether the registry object at `path` belongs to an enterprise in scope."""
        if self.principal.role is Role.AUDITOR:
            return True
        response = await self.upstreams.call("registry", "GET", path)
        if response.status_code != 200:
            return False
        return await self.sees_enterprise(conform("registry", response, view).enterprise_id)

    async def sees_mortgage(self, machine_id: str, mortgage_id: str) -> bool:
        """A lender sees its own mortgages; everyone else, those of machines in their scope."""
        if self.principal.role is not Role.LENDER:
            return await self.sees_machine(machine_id)
        path = f"/machines/{segment(machine_id)}/file"
        response = await self.upstreams.call("registry", "GET", path)
        if response.status_code != 200:
            return False
        return any(
            pledge.mortgage_id == mortgage_id and pledge.lender == self.principal.enterprise_id
            for pledge in conform("registry", response, MachineFile).mortgages
        )

    async def sees_alert(self, alert: AlertRaised) -> bool:
        """Staff see an alert of a machine in their jurisdiction (or of an enterprise they see)."""
        if self.principal.role in JURISDICTIONAL:
            where = alert.jurisdiction or await self.jurisdiction_of(alert.machine_id)
            if self.sees_division(where):
                return True
        return await self.sees_enterprise(alert.enterprise_id)

    async def jurisdiction_of(self, machine_id: str) -> str | None:
        """The machine's jurisdiction (None if the registry does not know it), once a visibility."""
        if machine_id not in self._machines:
            path = f"/machines/{segment(machine_id)}"
            response = await self.upstreams.call("registry", "GET", path)
            found = response.status_code == 200
            machine = conform("registry", response, MachineView) if found else None
            self._machines[machine_id] = machine.jurisdiction_code if machine else None
        return self._machines[machine_id]

    async def sees_terminal(self, terminal_id: str) -> bool:
        if self.principal.role is Role.AUDITOR:
            return True
        path = f"/terminals/{segment(terminal_id)}"
        response = await self.upstreams.call("telemetry", "GET", path)
        if response.status_code != 200:
            return False
        terminal = conform("telemetry", response, TerminalView)
        return await self.sees_enterprise(terminal.enterprise_id)

    async def sees_case(self, case_id: str) -> bool:
        """A case of the caller's jurisdiction (the machine's, as the alert named it), or of an
        enterprise they see."""
        response = await self.upstreams.call("safety", "GET", f"/cases/{segment(case_id)}")
        if response.status_code != 200:
            return False
        case = conform("safety", response, CaseView)
        if self.sees_division(case.jurisdiction):
            return True
        return await self.sees_enterprise(case.enterprise_id)

    async def sees_order(self, order_id: str) -> bool:
        """An order of the caller's jurisdiction (as the hazard was filed), or of an enterprise
        they see."""
        response = await self.upstreams.call("safety", "GET", f"/orders/{segment(order_id)}")
        if response.status_code != 200:
            return False
        order = conform("safety", response, OrderView)
        if self.sees_division(order.jurisdiction):
            return True
        return await self.sees_enterprise(order.enterprise_id)

    async def sees_tip(self, tip_id: str) -> bool:
        """Auditors; staff of the city, or of the division reports routed the tip to; a citizen
        their own tips, which reports tells apart (it recorded who sent each, and answers a
        citizen's request for another's as missing)."""
        if self.principal.role in (Role.AUDITOR, Role.CITIZEN) or self.sees_division(CITY):
            return True
        if self.principal.role not in JURISDICTIONAL:
            return False
        response = await self.upstreams.call("reports", "GET", f"/tips/{segment(tip_id)}/progress")
        found = response.status_code == 200
        return found and self.sees_tip_in(conform("reports", response, Progress).jurisdiction)

    def sees_tip_in(self, jurisdiction: str | None) -> bool:
        """A tip of this division (None: not routed, the whole city's)."""
        if self.principal.role is Role.AUDITOR:
            return True
        return self.sees_division(jurisdiction or CITY) or self.sees_division(CITY)
