"""Given/when/then over applications: the stages, the due time, overdue, what approval does."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tianmen_events import DomainEvent
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import (
    ApplicationAccepted,
    ApplicationKind,
    ApplicationOverdue,
    ApplicationSubmitted,
    Attachment,
    MachineDeregistered,
    MachineTransferred,
    RegistrationNumberIssued,
    TerminalBound,
    TerminalUnbound,
)
from tianmen_registry.adapters.calendar import working_calendar
from tianmen_registry.domain import applications, approvals
from tianmen_registry.domain.enterprises import Enterprise
from tianmen_registry.domain.machine_state import Status
from tianmen_registry.domain.submissions import Context, SubmitApplication, decide_submit
from tianmen_registry.domain.workdays import CHINA

from .lifecycle_support import BUYER, NUMBERED, OWNER, PLEDGED, machine
from .reference_data import JURISDICTIONS

CALENDAR = working_calendar()
ENTERPRISE = Enterprise(OWNER, "914403001922038216", "华为", "440300", "", "429006")
ACCEPTED_AT = datetime(2026, 10, 9, 10, 0, tzinfo=CHINA)


def doc(kind: str) -> Attachment:
    return Attachment(
        attachment_id=f"f-{kind}", type=kind, media_type="application/pdf", size=9, sha256="0"
    )


def submit(
    kind: ApplicationKind,
    *events: DomainEvent,
    details: dict[str, str] | None = None,
    docs: tuple[str, ...] = (),
) -> list[DomainEvent]:
    ctx = Context(None, ENTERPRISE, machine(*events), lambda e: e in (OWNER, BUYER), JURISDICTIONS)
    cmd = SubmitApplication("req-1", kind, OWNER, "m-1", tuple(doc(d) for d in docs), details or {})
    return decide_submit(ctx, cmd)


def accepted(
    kind: ApplicationKind = ApplicationKind.REGISTRATION, **details: str
) -> applications.Application:
    [submitted] = submit(
        kind,
        *(() if kind is ApplicationKind.REGISTRATION else (NUMBERED,)),
        details=details,
        docs=tuple(
            sorted(
                {
                    "purchase_invoice",
                    "certificate_of_conformity",
                    "transfer_contract",
                    "deregistration_statement",
                    "inspection_report",
                }
            )
        ),
    )
    [accept] = applications.decide_accept(
        applications.fold([submitted]), now=ACCEPTED_AT, calendar=CALENDAR, actor=None
    )
    state = applications.fold([submitted, accept])
    assert state is not None
    return state


def test_a_registration_needs_its_invoice_and_certificate() -> None:
    with pytest.raises(DomainError) as refused:
        submit(ApplicationKind.REGISTRATION, docs=("purchase_invoice",))
    assert refused.value.field == "attachments"
    assert "certificate_of_conformity" in refused.value.detail


def test_a_submitted_registration_carries_the_machine_s_jurisdiction() -> None:
    [event] = submit(
        ApplicationKind.REGISTRATION, docs=("purchase_invoice", "certificate_of_conformity")
    )
    assert isinstance(event, ApplicationSubmitted)
    assert (event.machine_id, event.jurisdiction_code) == ("m-1", "429006107")


def test_an_annual_review_of_a_machine_never_registered_is_refused_on_kind() -> None:
    with pytest.raises(DomainError) as refused:
        submit(ApplicationKind.ANNUAL_REVIEW, docs=("inspection_report",))
    assert refused.value.field == "kind"


def test_another_enterprise_s_machine_is_not_found() -> None:
    ctx = Context(None, ENTERPRISE, machine(), lambda e: True, JURISDICTIONS)
    cmd = SubmitApplication("r", ApplicationKind.REGISTRATION, OWNER, "m-1")
    other = Context(ctx.existing, ctx.enterprise, None, ctx.enterprise_exists, JURISDICTIONS)
    with pytest.raises(NotFound):
        decide_submit(other, cmd)


def test_a_pledged_machine_s_transfer_is_refused_at_submission() -> None:
    with pytest.raises(Conflict) as refused:
        submit(
            ApplicationKind.TRANSFER,
            NUMBERED,
            PLEDGED,
            details={"to_enterprise_id": BUYER},
            docs=("transfer_contract",),
        )
    assert refused.value.field == "machine_id"


def test_accepting_sets_the_due_time_two_working_days_on_across_the_adjusted_saturday() -> None:
    app = accepted()
    assert app.stage is applications.Stage.ACCEPTED
    assert app.due_at == datetime(2026, 10, 13, tzinfo=CHINA)


def test_an_application_is_flagged_overdue_once_after_its_due_time() -> None:
    app = accepted()
    assert app.due_at is not None
    assert applications.decide_overdue(app, now=datetime(2026, 10, 12, 23, tzinfo=CHINA)) == []
    [overdue] = applications.decide_overdue(app, now=app.due_at)
    assert overdue == ApplicationOverdue(application_id=app.application_id, due_at=app.due_at)
    flagged = applications.evolve(app, overdue)
    assert applications.decide_overdue(flagged, now=datetime(2026, 12, 1, tzinfo=UTC)) == []


def test_a_rejection_needs_a_reason_and_a_decided_application_stays_decided() -> None:
    with pytest.raises(DomainError) as refused:
        applications.decide_reject(accepted(), "  ", None)
    assert refused.value.field == "reason"
    [rejected] = applications.decide_reject(accepted(), "发票与铭牌不符", None)
    with pytest.raises(Conflict):
        applications.decide_approve(applications.evolve(accepted(), rejected), None)
    with pytest.raises(Conflict):
        applications.decide_withdraw(applications.evolve(accepted(), rejected), None)


def test_a_submitted_application_must_be_accepted_before_approval() -> None:
    [submitted] = submit(
        ApplicationKind.REGISTRATION, docs=("purchase_invoice", "certificate_of_conformity")
    )
    with pytest.raises(Conflict):
        applications.decide_approve(applications.fold([submitted]), None)


def test_approving_a_registration_issues_the_number_and_the_next_review() -> None:
    [issued] = approvals.decide_effects(accepted(), machine(), now=ACCEPTED_AT)
    assert isinstance(issued, RegistrationNumberIssued)
    assert issued.registration_number.startswith("TM2026-")
    assert issued.next_review_due == date(2027, 10, 9)
    assert machine(issued).status is Status.REGISTERED


def test_approving_a_transfer_moves_the_machine_to_the_buyer() -> None:
    app = accepted(ApplicationKind.TRANSFER, to_enterprise_id=BUYER)
    [moved] = approvals.decide_effects(app, machine(NUMBERED), now=ACCEPTED_AT)
    assert isinstance(moved, MachineTransferred)
    assert (moved.enterprise_id, moved.from_enterprise_id) == (BUYER, OWNER)


def test_a_transfer_approved_after_a_pledge_is_still_refused() -> None:
    app = accepted(ApplicationKind.TRANSFER, to_enterprise_id=BUYER)
    with pytest.raises(Conflict):
        approvals.decide_effects(app, machine(NUMBERED, PLEDGED), now=ACCEPTED_AT)


def test_deregistration_unbinds_the_terminal_and_closes_the_file() -> None:
    bound = TerminalBound(machine_id="m-1", enterprise_id=OWNER, terminal_id="13800138000")
    app = accepted(ApplicationKind.DEREGISTRATION)
    unbound, closed = approvals.decide_effects(app, machine(NUMBERED, bound), now=ACCEPTED_AT)
    assert isinstance(unbound, TerminalUnbound) and isinstance(closed, MachineDeregistered)
    assert unbound.reason == "deregistered"  # telemetry keeps the terminal on the machine
    final = machine(NUMBERED, bound, unbound, closed)
    assert (final.status, final.terminal_id) == (Status.DEREGISTERED, None)


def test_the_accepted_event_says_when_the_due_time_is_provisional() -> None:
    [submitted] = submit(
        ApplicationKind.REGISTRATION, docs=("purchase_invoice", "certificate_of_conformity")
    )
    now = datetime(2027, 3, 3, 10, tzinfo=CHINA)
    [accept] = applications.decide_accept(
        applications.fold([submitted]), now=now, calendar=CALENDAR, actor="clerk"
    )
    assert isinstance(accept, ApplicationAccepted)
    assert (accept.due_provisional, accept.actor) == (True, "clerk")
