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
    ANONYMOUS_ALLOWED = "no token needed; a token sent must be of a role allowed"
    ROLE = "the role suffices"
    LIST = "the route filters its page to what the caller may see"
    ENTERPRISE_PATH = "the enterprise in the path is in the caller's scope"
    MACHINE_PATH = "the machine in the path belongs to an enterprise in scope"
    TERMINAL_PATH = "the terminal in the path is bound to a machine of an enterprise in scope"
    APPLICATION_PATH = "the application in the path is of an enterprise in scope"
    SITE_PATH = "the work site in the path is of an enterprise in scope"
    MORTGAGE_PATH = "a lender's own mortgage; for others, the machine in the path is in scope"
    TIP_PATH = "the tip in the path is the caller's own, or in their jurisdiction"
    CASE_PATH = "the case in the path is in the caller's jurisdiction, or about their enterprise"
    ORDER_PATH = "the order in the path is in the caller's jurisdiction, or of their enterprise"
    USCC_IN_BODY = "the enterprise being registered has its division in the caller's jurisdiction"
    ENTERPRISE_IN_BODY = "the enterprise named in the body is in the caller's scope"
    TEST_IN_BODY = (
        "staff: the enterprise named in the body is in their scope; a testing agency (accredited"
        " city-wide): the body's agency is its own"
    )
    INSPECTION_PATH = (
        "the inspection in the path is in the caller's jurisdiction or of their enterprise;"
        " a testing agency's own test"
    )


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    scope: Scope


def rule(roles: frozenset[Role] | set[Role], scope: Scope = Scope.ROLE) -> Rule:
    return Rule(frozenset(roles), scope)


PUBLIC = Rule(frozenset(Role), Scope.PUBLIC)
ENTERPRISE_READ = rule(READERS, Scope.ENTERPRISE_PATH)
OWNERS = STAFF | {Role.ENTERPRISE}
"""Who acts for an enterprise at the counter: staff within their jurisdiction, the enterprise."""
MACHINE_READ = rule(READERS, Scope.MACHINE_PATH)
OWNER_MACHINE = rule(OWNERS, Scope.MACHINE_PATH)
CLERK_DECISION = rule(STAFF, Scope.APPLICATION_PATH)
TIP_READ = rule(JURISDICTIONAL | {Role.AUDITOR, Role.CITIZEN}, Scope.TIP_PATH)
"""A tip: a citizen their own (reports tells apart), staff within their jurisdiction."""
CITY_WIDE = rule({Role.CITY_STAFF, Role.AUDITOR})
"""Aggregates over the whole city: its center's staff and auditors."""

REGISTRY_RULES: dict[str, Rule] = {
    "change_enterprise_details": rule(OWNERS, Scope.ENTERPRISE_PATH),
    "get_enterprise_contacts": rule(OWNERS, Scope.ENTERPRISE_PATH),
    "change_enterprise_contacts": rule(OWNERS, Scope.ENTERPRISE_PATH),
    "get_enterprise_file": ENTERPRISE_READ,
    "search_machines": rule(READERS, Scope.LIST),
    "get_machine_file": MACHINE_READ,
    "get_certificate": rule(OWNERS | {Role.AUDITOR}, Scope.MACHINE_PATH),
    "unbind_terminal": OWNER_MACHINE,
    "set_suspension": rule(STAFF, Scope.MACHINE_PATH),
    "record_maintenance": OWNER_MACHINE,
    "amend_fuel_tank": OWNER_MACHINE,  # who registers it: staff in scope, its enterprise
    "pledge_machine": OWNER_MACHINE,
    "release_mortgage": rule(STAFF | {Role.LENDER}, Scope.MORTGAGE_PATH),
    "record_lender_consent": rule(STAFF | {Role.LENDER}, Scope.MORTGAGE_PATH),
    "list_pledges": rule(READERS | {Role.LENDER}, Scope.LIST),
    "get_mortgage_totals": CITY_WIDE,
    "upload_attachment": rule(OWNERS),
    "submit_application": rule(OWNERS, Scope.ENTERPRISE_IN_BODY),
    "get_application": rule(READERS, Scope.APPLICATION_PATH),
    "accept_application": CLERK_DECISION,
    "approve_application": CLERK_DECISION,
    "reject_application": CLERK_DECISION,
    "withdraw_application": rule(OWNERS, Scope.APPLICATION_PATH),
    "sweep_overdue_applications": rule({Role.CITY_STAFF}),
    "sweep_overdue_reviews": rule({Role.CITY_STAFF}),
    "get_handling_times": CITY_WIDE,
    "import_machines": rule({Role.CITY_STAFF}),
    "register_site": rule(OWNERS, Scope.ENTERPRISE_IN_BODY),
    "get_site": rule(READERS, Scope.SITE_PATH),
    "issue_night_work_permit": rule(STAFF, Scope.SITE_PATH),
    "declare_restricted_zone": rule({Role.CITY_STAFF}),
    "verify_registration": PUBLIC,
}

INSPECTION_RULES: dict[str, Rule] = {
    "file_self_inspection": rule(OWNERS, Scope.ENTERPRISE_IN_BODY),
    "file_spot_check": rule(STAFF, Scope.ENTERPRISE_IN_BODY),
    "file_third_party_test": rule(STAFF | {Role.TESTING_AGENCY}, Scope.TEST_IN_BODY),
    "record_accident": rule(STAFF, Scope.ENTERPRISE_IN_BODY),
    "list_inspections": rule(READERS | {Role.TESTING_AGENCY}, Scope.LIST),
    "get_inspection": rule(READERS | {Role.TESTING_AGENCY}, Scope.INSPECTION_PATH),
    "list_accidents": rule(READERS, Scope.LIST),
    "get_accident_statistics": CITY_WIDE,
    "launch_campaign": rule({Role.CITY_STAFF}),
    "list_campaigns": rule(READERS),
    "get_campaign": rule(READERS),
    "get_campaign_report": rule(JURISDICTIONAL | {Role.AUDITOR}),
}
"""Inspections, campaigns and accidents (safety): a campaign and its report are city-wide."""

RULES: dict[str, Rule] = {
    "register_enterprise": rule(STAFF, Scope.USCC_IN_BODY),
    "list_enterprises": rule(READERS, Scope.LIST),
    "get_enterprise": ENTERPRISE_READ,
    "get_safety_ledger": ENTERPRISE_READ,
    "list_violations": ENTERPRISE_READ,
    "list_deductions": ENTERPRISE_READ,
    "get_credit_score": ENTERPRISE_READ,
    "list_credit_history": ENTERPRISE_READ,
    "get_credit_standing": ENTERPRISE_READ,
    "get_credit_as_of": ENTERPRISE_READ,
    "credit_what_if": rule({Role.AUDITOR, Role.CITY_STAFF}),
    "apply_credit_repair": rule({Role.ENTERPRISE}, Scope.ENTERPRISE_PATH),
    "decide_credit_repair": rule(STAFF, Scope.ENTERPRISE_PATH),
    "get_credit_repair": ENTERPRISE_READ,
    "register_machine": rule(STAFF | {Role.ENTERPRISE}, Scope.ENTERPRISE_IN_BODY),
    "list_machines": rule(READERS, Scope.LIST),
    "get_machine": rule(READERS, Scope.MACHINE_PATH),
    "bind_terminal": rule(STAFF | {Role.ENTERPRISE}, Scope.MACHINE_PATH),
    "ingest_reports": rule({Role.TERMINAL_PLATFORM}),
    "get_terminal": rule(READERS, Scope.TERMINAL_PATH),
    "list_alerts": rule(READERS, Scope.LIST),
    "get_boundaries": rule(JURISDICTIONAL | {Role.AUDITOR}),
    "get_track": rule(READERS, Scope.MACHINE_PATH),
    "get_machine_usage": rule(READERS, Scope.MACHINE_PATH),
    "get_fleet": ENTERPRISE_READ,
    "get_terminal_status": rule(JURISDICTIONAL | {Role.AUDITOR}, Scope.LIST),
    "stream_alerts": rule(READERS, Scope.LIST),
    "submit_tip": rule({Role.CITIZEN}),
    "upload_media": rule({Role.CITIZEN}),
    "get_tip_statistics": CITY_WIDE,
    "get_tip": TIP_READ,
    "get_tip_progress": TIP_READ,
    "list_my_rewards": rule({Role.CITIZEN}),
    "get_tip_media": rule(JURISDICTIONAL | {Role.AUDITOR}, Scope.TIP_PATH),
    "list_open311_services": PUBLIC,
    "submit_open311_request": rule({Role.CITIZEN}, Scope.ANONYMOUS_ALLOWED),
    "get_open311_request": TIP_READ,
    "list_open311_requests": rule({Role.CITIZEN}),
    "list_tips": rule(JURISDICTIONAL | {Role.AUDITOR}, Scope.LIST),
    "get_tip_evidence": rule(JURISDICTIONAL | {Role.AUDITOR}, Scope.TIP_PATH),
    "assign_tip": rule(STAFF, Scope.TIP_PATH),
    "start_tip_verification": rule(STAFF, Scope.TIP_PATH),
    "verify_tip": rule(STAFF, Scope.TIP_PATH),
    "dismiss_tip": rule(STAFF, Scope.TIP_PATH),
    "list_cases": rule(READERS, Scope.LIST),
    "get_case": rule(READERS, Scope.CASE_PATH),
    "decide_case": rule(STAFF, Scope.CASE_PATH),
    "get_list": rule(READERS, Scope.LIST),
    "record_hazard": rule(STAFF, Scope.ENTERPRISE_IN_BODY),
    "record_reinspection": rule(STAFF, Scope.ORDER_PATH),
    "list_orders": rule(READERS, Scope.LIST),
    "get_order": rule(READERS, Scope.ORDER_PATH),
    **INSPECTION_RULES,
    "list_restorations": ENTERPRISE_READ,
    "get_digests": rule({Role.AUDITOR, Role.CITY_STAFF}),
    "metrics": rule({Role.OPERATOR}),
    "issue_token": PUBLIC,
    "get_jwks": PUBLIC,
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "landing": PUBLIC,
    "console_config": PUBLIC,
    "swagger_ui": PUBLIC,
    "redoc": PUBLIC,
    **REGISTRY_RULES,
}
