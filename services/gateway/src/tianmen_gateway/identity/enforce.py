"""The one dependency every route runs: authenticate, check the role, check the object's scope."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import Depends, Request
from tianmen_runtime.identity import Actor, actor

from tianmen_gateway.entrypoints.deps import ID_PATTERN
from tianmen_gateway.identity import agency
from tianmen_gateway.identity.authenticate import Refused, authenticate
from tianmen_gateway.identity.principal import Principal, anonymous
from tianmen_gateway.identity.rules import RULES, Rule, Scope
from tianmen_gateway.identity.scope import Visibility

FILER_FIELDS = ("agency", "enterprise_id")
NOT_FOUND = "not found"  # the same words whether it is missing or out of the caller's scope


async def authorize(request: Request) -> None:
    rule = RULES.get(getattr(request.scope.get("route"), "name", ""))
    if rule is None:
        raise Refused(403, "Forbidden", "this operation has no authorisation rule")
    if rule.scope is Scope.PUBLIC:
        return
    principal = await _caller(request, rule)
    request.app.state.rate_limit.check(f"{principal.role.value}:{principal.subject}")
    request.state.principal = principal
    actor.set(Actor(principal.subject, principal.role.value))  # vouched for to the services
    if principal.role not in rule.roles:
        raise Refused(403, "Forbidden", f"role {principal.role.value} may not do this")
    if not await _in_scope(rule, await visibility(request), request):
        if rule.scope is Scope.USCC_IN_BODY:
            raise Refused(
                403, "Forbidden", "the enterprise's division is outside your jurisdiction"
            )
        raise Refused(404, "Not found", NOT_FOUND)


async def _caller(request: Request, rule: Rule) -> Principal:
    """The token's principal; without a token, where the rule allows it, an anonymous one."""
    if rule.scope is Scope.ANONYMOUS_ALLOWED and "authorization" not in request.headers:
        return anonymous(request.client.host if request.client else "unknown")
    return await authenticate(request)


async def visibility(request: Request) -> Visibility:
    """One per request: what the scope check fetched, the route reuses (`Visibility.fetched`).
    `async` so FastAPI calls it on the event loop, not in a worker thread."""
    seen: Visibility | None = getattr(request.state, "visibility", None)
    if seen is None:
        principal: Principal = request.state.principal
        state = request.app.state
        seen = Visibility(principal, state.upstreams, state.jurisdictions, state.divisions)
        request.state.visibility = seen
    return seen


VisibilityDep = Annotated[Visibility, Depends(visibility)]


async def _in_scope(rule: Rule, seen: Visibility, request: Request) -> bool:
    path = request.path_params
    if not all(isinstance(v, str) and re.fullmatch(ID_PATTERN, v) for v in path.values()):
        return True  # not an id at all: the route's validation answers 422, nothing is looked up
    match rule.scope:
        case Scope.ENTERPRISE_PATH:
            return await seen.sees_enterprise(path["enterprise_id"])
        case Scope.MACHINE_PATH:
            return await seen.sees_machine(path["machine_id"])
        case Scope.TERMINAL_PATH:
            return await seen.sees_terminal(path["terminal_id"])
        case Scope.APPLICATION_PATH:
            return await seen.sees_application(path["application_id"])
        case Scope.SITE_PATH:
            return await seen.sees_site(path["site_id"])
        case Scope.MORTGAGE_PATH:
            return await seen.sees_mortgage(path["machine_id"], path["mortgage_id"])
        case Scope.TIP_PATH:
            return await seen.sees_tip(path["tip_id"])
        case Scope.CASE_PATH:
            return await seen.sees_case(path["case_id"])
        case Scope.ORDER_PATH:
            return await seen.sees_order(path["order_id"])
        case Scope.USCC_IN_BODY:
            uscc = await _body_field(request, "uscc")
            return uscc is None or seen.sees_division(uscc[2:8])
        case Scope.ENTERPRISE_IN_BODY:
            enterprise_id = await _body_field(request, "enterprise_id")
            return enterprise_id is None or await seen.sees_enterprise(enterprise_id)
        case Scope.TEST_IN_BODY:
            filer, enterprise_id = [await _body_field(request, f) for f in FILER_FIELDS]
            return await agency.may_file_test(seen, filer, enterprise_id)
        case Scope.INSPECTION_PATH:
            return await agency.sees_inspection(seen, path["inspection_id"])
    return True  # ROLE, LIST: the role suffices here; a LIST route filters its page


async def _body_field(request: Request, name: str) -> str | None:
    """A string field of the JSON body; None when absent or unreadable (validation answers)."""
    try:
        body: Any = json.loads(await request.body())
    except ValueError:
        return None
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every operation of an OpenAPI document by its operationId (the route's name)."""
    return {
        operation["operationId"]: operation
        for methods in document.get("paths", {}).values()
        for operation in methods.values()
    }


def unruled(document: dict[str, Any]) -> list[str]:
    """The operations of the published API that the rule table does not cover."""
    return [name for name in operations(document) if name not in RULES]
