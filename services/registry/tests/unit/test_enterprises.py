"""Given/when/then over the enterprise aggregate."""

from __future__ import annotations

import pytest
from tianmen_events import derive_id
from tianmen_events.errors import Conflict, DomainError
from tianmen_events.registry import EnterpriseRegistered
from tianmen_registry.domain import enterprises
from tianmen_registry.domain.commands import RegisterEnterprise

USCC = "914403001922038216"


def test_registering_a_new_enterprise_records_its_division_code() -> None:
    cmd = RegisterEnterprise(uscc=USCC.lower(), name="华为技术有限公司", address="深圳")
    assert enterprises.decide_register(None, cmd) == [
        EnterpriseRegistered(
            enterprise_id=derive_id("enterprise", USCC),
            uscc=USCC,
            name="华为技术有限公司",
            division_code="440300",
            address="深圳",
        )
    ]


def test_enterprise_id_is_derived_from_the_canonical_uscc() -> None:
    assert enterprises.enterprise_id_for(f" {USCC.lower()}") == derive_id("enterprise", USCC)


def test_registering_the_same_uscc_twice_is_a_conflict_on_uscc() -> None:
    cmd = RegisterEnterprise(uscc=USCC, name="华为技术有限公司")
    state = enterprises.fold(enterprises.decide_register(None, cmd))
    with pytest.raises(Conflict) as refused:
        enterprises.decide_register(state, cmd)
    assert refused.value.field == "uscc"


def test_invalid_uscc_is_refused_before_anything_is_decided() -> None:
    with pytest.raises(DomainError) as refused:
        enterprises.decide_register(None, RegisterEnterprise(uscc="914403001922038217", name="x"))
    assert refused.value.field == "uscc"
    assert refused.value.status == 422


def test_folding_the_registration_gives_the_enterprise() -> None:
    [event] = enterprises.decide_register(None, RegisterEnterprise(uscc=USCC, name="华为"))
    assert enterprises.fold([event]) == enterprises.Enterprise(
        enterprise_id=derive_id("enterprise", USCC),
        uscc=USCC,
        name="华为",
        division_code="440300",
        address="",
    )
