"""What a testing agency may see and file: accredited city-wide, it files third-party tests of
any enterprise's machines under its own id (the body's `agency`) and reads only the tests that
name it. Everyone else sees an inspection by its jurisdiction or enterprise, as elsewhere."""

from __future__ import annotations

from tianmen_runtime.http import FieldError
from tianmen_safety.entrypoints.schemas import InspectionView

from tianmen_gateway.adapters.upstream import conform, segment
from tianmen_gateway.identity.authenticate import Refused
from tianmen_gateway.identity.principal import Role
from tianmen_gateway.identity.scope import Visibility


def not_its_own(agency_id: str | None) -> Refused:
    """403 naming `agency`: a testing agency files only tests under its own id."""
    detail = f"a testing agency files its own tests: agency must be {agency_id}"
    return Refused(403, "Forbidden", detail, errors=[FieldError(field="agency", message=detail)])


async def may_file_test(seen: Visibility, agency: str | None, enterprise_id: str | None) -> bool:
    """Staff: the enterprise named is in their scope; an agency: the test is filed as its own."""
    principal = seen.principal
    if principal.role is Role.TESTING_AGENCY:
        if agency is not None and agency != principal.agency_id:  # absent: validation answers
            raise not_its_own(principal.agency_id)
        return True
    return enterprise_id is None or await seen.sees_enterprise(enterprise_id)


async def sees_inspection_view(seen: Visibility, found: InspectionView) -> bool:
    principal = seen.principal
    if principal.role is Role.TESTING_AGENCY:
        return found.kind == "third_party" and found.agency == principal.agency_id
    if seen.sees_division(found.jurisdiction):
        return True
    return await seen.sees_enterprise(found.enterprise_id)


async def sees_inspection(seen: Visibility, inspection_id: str) -> bool:
    path = f"/inspections/{segment(inspection_id)}"
    response = await seen.upstreams.call("safety", "GET", path)
    if response.status_code != 200:
        return False
    return await sees_inspection_view(seen, conform("safety", response, InspectionView))


def own_tests(seen: Visibility, params: dict[str, str]) -> dict[str, str]:
    """A testing agency's list asks the service for its own tests only (full pages)."""
    agency_id = seen.principal.agency_id
    if agency_id is None:
        return params
    return {**params, "agency": agency_id, "kind": "third_party"}
