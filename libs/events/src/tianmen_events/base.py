"""The base of every event contract."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class DomainEvent(BaseModel):
    """A fact that happened. Frozen; unknown fields are ignored so readers tolerate additive change.

    Subclasses set `type` (the stable wire name, never derived from the class name), `version`
    (the schema version, bumped on a breaking change together with an upcaster) and `topic`.
    `subject` names the field holding the aggregate id that orders the event on its topic.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: ClassVar[str]
    version: ClassVar[int] = 1
    topic: ClassVar[str]
    subject: ClassVar[str]

    def subject_id(self) -> str:
        return str(getattr(self, self.subject))
