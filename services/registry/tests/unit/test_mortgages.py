"""Given/when/then over mortgages: pledge once, release, consent to a transfer."""

from __future__ import annotations

from datetime import date

import pytest
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import LenderConsentRecorded, MortgageReleased
from tianmen_registry.domain import mortgages
from tianmen_registry.domain.mortgages import (
    RecordLenderConsent,
    RegisterMortgage,
    ReleaseMortgage,
    refuse_unconsented_transfer,
)

from .lifecycle_support import BUYER, NUMBERED, PLEDGED, machine

PLEDGE = RegisterMortgage("m-1", "天门农商银行", 800_000, date(2026, 5, 1), date(2028, 4, 30))


def test_pledging_a_free_machine_records_the_mortgage() -> None:
    [event] = mortgages.decide_register(machine(NUMBERED), PLEDGE)
    assert event.model_dump() == {
        **PLEDGED.model_dump(),
        "mortgage_id": mortgages.mortgage_id_for("m-1", "天门农商银行", date(2026, 5, 1)),
    }


def test_a_pledged_machine_cannot_be_pledged_twice() -> None:
    with pytest.raises(Conflict) as refused:
        mortgages.decide_register(machine(NUMBERED, PLEDGED), PLEDGE)
    assert refused.value.field == "machine_id"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"amount_yuan": 0}, "amount_yuan"), ({"ends_on": date(2026, 4, 1)}, "ends_on")],
)
def test_a_loan_needs_a_positive_amount_and_an_end_after_its_start(
    change: dict[str, object], field: str
) -> None:
    import dataclasses

    with pytest.raises(DomainError) as refused:
        mortgages.decide_register(machine(NUMBERED), dataclasses.replace(PLEDGE, **change))  # type: ignore[arg-type]
    assert refused.value.field == field


def test_released_mortgage_frees_the_machine_for_a_new_pledge() -> None:
    [released] = mortgages.decide_release(machine(PLEDGED), ReleaseMortgage("m-1", "mg-1"))
    assert released == MortgageReleased(machine_id="m-1", enterprise_id="e-1", mortgage_id="mg-1")
    assert mortgages.decide_register(machine(PLEDGED, released), PLEDGE) != []


def test_releasing_an_unknown_mortgage_is_not_found() -> None:
    with pytest.raises(NotFound):
        mortgages.decide_release(machine(NUMBERED), ReleaseMortgage("m-1", "mg-9"))


def test_a_transfer_is_refused_while_pledged_and_allowed_with_the_lender_s_consent() -> None:
    with pytest.raises(Conflict) as refused:
        refuse_unconsented_transfer(machine(PLEDGED), BUYER)
    assert refused.value.field == "machine_id"
    [consent] = mortgages.decide_consent(
        machine(PLEDGED), RecordLenderConsent("m-1", "mg-1", BUYER)
    )
    assert isinstance(consent, LenderConsentRecorded)
    refuse_unconsented_transfer(machine(PLEDGED, consent), BUYER)
    with pytest.raises(Conflict):
        refuse_unconsented_transfer(machine(PLEDGED, consent), "e-3")
