"""The HTTP contract of credit's queries (docs/service-contracts.md, credit); the gateway uses it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ReasonView(BaseModel):
    event_id: str
    event_type: str
    description: str
    delta: int


class ChangeView(BaseModel):
    event_id: str
    time: datetime
    score_before: int
    score: int
    grade_before: str
    grade: str
    model_version: str
    reasons: list[ReasonView]


class ScoreView(BaseModel):
    """The standing now; every change and its reasons is the paged `history` list."""

    enterprise_id: str
    score: int
    grade: str
    procurement_restricted: bool
    model_version: str
    change_count: int = Field(description="Score changes recorded")
    latest_change: ChangeView | None = Field(description="The most recent change, with reasons")


# The audit and repair contract, defined beside this module and published from here (the
# gateway imports a service's contract from its `entrypoints.schemas` only).
from tianmen_credit.entrypoints.audit_schemas import (  # noqa: E402
    AsOfView as AsOfView,
)
from tianmen_credit.entrypoints.audit_schemas import (  # noqa: E402
    DecisionIn as DecisionIn,
)
from tianmen_credit.entrypoints.audit_schemas import (  # noqa: E402
    RepairIn as RepairIn,
)
from tianmen_credit.entrypoints.audit_schemas import (  # noqa: E402
    RepairView as RepairView,
)
from tianmen_credit.entrypoints.audit_schemas import (  # noqa: E402
    StandingView as StandingView,
)
from tianmen_credit.entrypoints.audit_schemas import (  # noqa: E402
    WhatIfView as WhatIfView,
)
