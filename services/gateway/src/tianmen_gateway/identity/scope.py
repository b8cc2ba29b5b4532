"""What one caller may see: enterprises by role, jurisdiction or ownership; the objects under them.

The jurisdiction of an enterprise is looked up in one place, `division_of`: today the registry
view's `division_code`; when the registry puts a jurisdiction on every enterprise, only it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tianmen_registry.entrypoints.schemas import EnterpriseView, MachineView
from tianmen_safety.entrypoints.schemas import CaseView
from tianmen_telemetry.entrypoints.schemas import TerminalView

from tianmen_gateway.adapters.upstream import Upstreams, conform, segment
from tianmen_gateway.identity.jurisdictions import Jurisdictions
from tianmen_gateway.identity.principal import JURISDICTIONAL, Principal, Role

CITY = "429006"
"""Tips carry a location, not a division: until they do, a tip is the whole city's."""


@dataclass
class Visibility:
    principal: Principal
    upstreams: Upstreams
    jurisdictions: Jurisdictions
    _divisions: dict[str, str | None] = field(default_factory=dict)

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
        return await self.sees_enterprise(view.enterprise_id, view.division_code)

    async def division_of(self, enterprise_id: str) -> str | None:
        """The enterprise's division (None if the registry does not know it), once a request."""
        if enterprise_id not in self._divisions:
            path = f"/enterprises/{segment(enterprise_id)}"
            response = await self.upstreams.call("registry", "GET", path)
            found = response.status_code == 200
            view = conform("registry", response, EnterpriseView) if found else None
            self._divisions[enterprise_id] = view.division_code if view else None
        return self._divisions[enterprise_id]

    async def sees_machine(self, machine_id: str) -> bool:
        if self.principal.role is Role.AUDITOR:
            return True
        response = await self.upstreams.call("registry", "GET", f"/machines/{segment(machine_id)}")
        if response.status_code != 200:
            return False
        machine = conform("registry", response, MachineView)
        return await self.sees_enterprise(machine.enterprise_id)

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

    async def sees_tip(self, tip_id: str) -> bool:
        """Staff of the city, auditors. A citizen's own tip needs reports to record who sent it;
        until then a citizen reads no tip by id (they hold their receipt)."""
        if self.principal.role is Role.AUDITOR:
            return True
        return self.sees_division(CITY)
