"""Given/when/then over the enterprise aggregate."""

from __future__ import annotations

import pytest
from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import (
    Contact,
    EnterpriseContactsChanged,
    EnterpriseDetailsChanged,
    EnterpriseRegistered,
)
from tianmen_registry.domain import enterprises
from tianmen_registry.domain.commands import (
    ChangeEnterpriseContacts,
    ChangeEnterpriseDetails,
    RegisterEnterprise,
)

from .reference_data import DIVISIONS, JURISDICTIONS

USCC = "914403001922038216"
ENTERPRISE_ID = derive_id("enterprise", USCC)
LEGAL_REP = Contact(role="legal_representative", name="张三", phone="13800138000")


def _register(
    cmd: RegisterEnterprise, state: enterprises.Enterprise | None = None
) -> list[DomainEvent]:
    return enterprises.decide_register(state, cmd, JURISDICTIONS, DIVISIONS)


def _registered() -> enterprises.Enterprise:
    state = enterprises.fold(_register(RegisterEnterprise(uscc=USCC, name="华为")))
    assert state is not None
    return state


def test_registering_a_new_enterprise_records_its_division_and_jurisdiction() -> None:
    cmd = RegisterEnterprise(
        uscc=USCC.lower(), name=" 华为技术有限公司 ", address="深圳", jurisdiction_code="429006107"
    )
    assert _register(cmd) == [
        EnterpriseRegistered(
            enterprise_id=ENTERPRISE_ID,
            uscc=USCC,
            name="华为技术有限公司",
            division_code="440300",
            address="深圳",
            jurisdiction_code="429006107",
        )
    ]


def test_an_enterprise_without_a_jurisdiction_belongs_to_the_city_center() -> None:
    [event] = _register(RegisterEnterprise(uscc=USCC, name="华为"))
    assert isinstance(event, EnterpriseRegistered)
    assert event.jurisdiction_code == "429006"


def test_contacts_go_into_their_own_event_not_the_public_registration() -> None:
    registered, contacts = _register(
        RegisterEnterprise(uscc=USCC, name="华为", contacts=(LEGAL_REP,), actor="clerk-7")
    )
    assert "13800138000" not in registered.model_dump_json()
    assert contacts == EnterpriseContactsChanged(
        enterprise_id=ENTERPRISE_ID, contacts=(LEGAL_REP,), actor="clerk-7"
    )
    assert contacts.topic != registered.topic


def test_a_uscc_whose_division_code_is_no_real_division_is_refused_on_uscc() -> None:
    from tianmen_registry.domain.uscc import with_check_character

    fake_hubei = with_check_character("91429099MA4F0XXXX")  # 429099: no such county
    with pytest.raises(DomainError) as refused:
        _register(RegisterEnterprise(uscc=fake_hubei, name="x"))
    assert refused.value.field == "uscc"
    assert "429099" in refused.value.detail


@pytest.mark.parametrize(
    ("name", "address"),
    [("天门\x00机械", ""), ("\u200b\u200b", ""), ("\u3164", ""), ("天门机械", "竟陵\x1b[31m")],
)
def test_names_and_addresses_refuse_control_and_invisible_only_text(
    name: str, address: str
) -> None:
    with pytest.raises(DomainError) as refused:
        _register(RegisterEnterprise(uscc=USCC, name=name, address=address))
    assert refused.value.field == ("address" if address else "name")


def test_an_unknown_jurisdiction_is_refused_on_jurisdiction_code() -> None:
    with pytest.raises(DomainError) as refused:
        _register(RegisterEnterprise(uscc=USCC, name="华为", jurisdiction_code="110101"))
    assert refused.value.field == "jurisdiction_code"


def test_a_contact_with_a_bad_phone_is_refused_naming_its_position() -> None:
    bad = Contact(role="safety_officer", name="李四", phone="call me")
    with pytest.raises(DomainError) as refused:
        _register(RegisterEnterprise(uscc=USCC, name="华为", contacts=(LEGAL_REP, bad)))
    assert refused.value.field == "contacts[1].phone"


def test_enterprise_id_is_derived_from_the_canonical_uscc() -> None:
    assert enterprises.enterprise_id_for(f" {USCC.lower()}") == ENTERPRISE_ID


def test_registering_the_same_uscc_twice_is_a_conflict_on_uscc() -> None:
    with pytest.raises(Conflict) as refused:
        _register(RegisterEnterprise(uscc=USCC, name="华为"), _registered())
    assert refused.value.field == "uscc"


def test_invalid_uscc_is_refused_before_anything_is_decided() -> None:
    with pytest.raises(DomainError) as refused:
        _register(RegisterEnterprise(uscc="914403001922038217", name="x"))
    assert refused.value.field == "uscc"
    assert refused.value.status == 422


def test_changing_details_records_only_what_differs() -> None:
    cmd = ChangeEnterpriseDetails(ENTERPRISE_ID, name="华为", address="深圳坂田", actor="clerk-7")
    [event] = enterprises.decide_change_details(_registered(), cmd, JURISDICTIONS)
    assert event == EnterpriseDetailsChanged(
        enterprise_id=ENTERPRISE_ID, address="深圳坂田", actor="clerk-7"
    )
    changed = enterprises.fold([*_register(RegisterEnterprise(uscc=USCC, name="华为")), event])
    assert changed is not None and changed.address == "深圳坂田"


def test_changing_nothing_records_nothing() -> None:
    cmd = ChangeEnterpriseDetails(ENTERPRISE_ID, name="华为")
    assert enterprises.decide_change_details(_registered(), cmd, JURISDICTIONS) == []


def test_changing_an_unknown_enterprise_is_not_found() -> None:
    with pytest.raises(NotFound):
        enterprises.decide_change_contacts(None, ChangeEnterpriseContacts(ENTERPRISE_ID))


def test_folding_the_registration_gives_the_enterprise() -> None:
    assert _registered() == enterprises.Enterprise(
        enterprise_id=ENTERPRISE_ID,
        uscc=USCC,
        name="华为",
        division_code="440300",
        address="",
        jurisdiction_code="429006",
    )
