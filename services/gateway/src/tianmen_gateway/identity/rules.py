"""Who may call each operation (keyed by operationId), and which object scope check applies.

A route without a rule answers 403 to everyone, and the gateway refuses to start with one
(`unruled`); the authorisation matrix test walks the OpenAPI against this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tianmen_gateway.identity.principal import JURISDICTIONAL, READERS, STAFF, Role


class Scope(Enum):
    PUBLIC = "no token needed"
    ROLE = "the role suffices"
    LIST = "the route filters its page to what the caller may see"
    ENTERPRISE_PATH = "the enterprise in the path is in the caller's scope"
    MACHINE_PATH = "the machine in the path belongs to an enterprise in scope"
    TERMINAL_PATH = "the terminal in the path is bound to a machine of an enterprise in scope"
    TIP_PATH = "the tip in the path is the caller's own, or in their jurisdiction"
    CASE_PATH = "the case in the path is in the caller's jurisdiction, or about their enterprise"
    USCC_IN_BODY = "the enterprise being registered has its division in the caller's jurisdiction"
    ENTERPRISE_IN_BODY = "the enterprise named in the body is in the caller's scope"


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    scope: Scope


def rule(roles: frozenset[Role] | set[Role], scope: Scope = Scope.ROLE) -> Rule:
    return Rule(frozenset(roles), scope)


PUBLIC = Rule(frozenset(Role), Scope.PUBLIC)
ENTERPRISE_READ = rule(READERS, Scope.ENTERPRISE_PATH)

RULES: dict[str, Rule] = {
    "register_enterprise": rule(STAFF, Scope.USCC_IN_BODY),
    "list_enterprises": rule(READERS, Scope.LIST),
    "get_enterprise": ENTERPRISE_READ,
    "get_safety_ledger": ENTERPRISE_READ,
    "list_violations": ENTERPRISE_READ,
    "list_deductions": ENTERPRISE_READ,
    "get_credit_score": ENTERPRISE_READ,
    "list_credit_history": ENTERPRISE_READ,
    "register_machine": rule(STAFF | {Role.ENTERPRISE}, Scope.ENTERPRISE_IN_BODY),
    "list_machines": rule(READERS, Scope.LIST),
    "get_machine": rule(READERS, Scope.MACHINE_PATH),
    "bind_terminal": rule(STAFF | {Role.ENTERPRISE}, Scope.MACHINE_PATH),
    "ingest_reports": rule({Role.TERMINAL_PLATFORM}),
    "get_terminal": rule(READERS, Scope.TERMINAL_PATH),
    "list_alerts": rule(READERS, Scope.LIST),
    "submit_tip": rule({Role.CITIZEN}),
    "get_tip": rule(JURISDICTIONAL | {Role.AUDITOR, Role.CITIZEN}, Scope.TIP_PATH),
    "list_cases": rule(READERS, Scope.LIST),
    "get_case": rule(READERS, Scope.CASE_PATH),
    "decide_case": rule(STAFF, Scope.CASE_PATH),
    "get_list": rule(READERS, Scope.LIST),
    "list_restorations": ENTERPRISE_READ,
    "get_digests": rule({Role.AUDITOR, Role.CITY_STAFF}),
    "metrics": rule({Role.OPERATOR}),
    "issue_token": PUBLIC,
    "get_jwks": PUBLIC,
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "landing": PUBLIC,
    "swagger_ui": PUBLIC,
    "redoc": PUBLIC,
}
