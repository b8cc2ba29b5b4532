"""Service applications at the online counter: submitted -> accepted -> approved / rejected /
withdrawn, with a due time in working days. Keyed by application id on `registry.application`."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import event
from tianmen_events.instants import Instant
from tianmen_events.topics import REGISTRY_APPLICATION


class ApplicationKind(StrEnum):
    REGISTRATION = "registration"
    ANNUAL_REVIEW = "annual_review"
    CHANGE = "change"
    TRANSFER = "transfer"
    DEREGISTRATION = "deregistration"


class Attachment(BaseModel):
    model_config = ConfigDict(frozen=True)

    attachment_id: str
    type: str = Field(description="What the document is, e.g. purchase_invoice")
    media_type: str
    size: int
    sha256: str


class _ApplicationEvent(DomainEvent):
    topic = REGISTRY_APPLICATION.name
    subject = "application_id"

    application_id: str
    actor: str | None = None


@event
class ApplicationSubmitted(_ApplicationEvent):
    type = "tianmen.registry.application_submitted"

    kind: ApplicationKind
    enterprise_id: str
    machine_id: str
    jurisdiction_code: str
    attachments: tuple[Attachment, ...] = ()
    details: dict[str, Any] = Field(
        default_factory=dict, description="What the kind needs: the change, the new owner"
    )


@event
class ApplicationAccepted(_ApplicationEvent):
    type = "tianmen.registry.application_accepted"

    due_at: Instant = Field(description="24:00 China time of the 2nd working day after acceptance")
    due_provisional: bool = Field(description="A year of the count is not published yet")


@event
class ApplicationApproved(_ApplicationEvent):
    type = "tianmen.registry.application_approved"


@event
class ApplicationRejected(_ApplicationEvent):
    type = "tianmen.registry.application_rejected"

    reason: str


@event
class ApplicationWithdrawn(_ApplicationEvent):
    type = "tianmen.registry.application_withdrawn"


@event
class ApplicationOverdue(_ApplicationEvent):
    type = "tianmen.registry.application_overdue"

    due_at: Instant
