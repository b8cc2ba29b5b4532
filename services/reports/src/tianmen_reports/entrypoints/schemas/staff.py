"""What staff read of a tip (the gateway uses these contracts): the queue's view of a tip and
the telemetry evidence of which machines were near it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, RootModel

from tianmen_reports.domain.tip import Tip
from tianmen_reports.entrypoints.schemas import TipView


class StaffTipView(TipView):
    """A tip in the queue: its public view, where it lies, its stage's deadline, its photos
    (never who reported it)."""

    jurisdiction: str | None
    due_at: datetime | None = Field(description="Deadline of the current stage")
    media_ids: list[str]

    @classmethod
    def of(cls, tip: Tip) -> StaffTipView:
        public = TipView.of(tip).model_dump()
        return cls(
            **public,
            jurisdiction=tip.jurisdiction,
            due_at=tip.due_at,
            media_ids=list(tip.media_ids),
        )


class NearbyMachineView(BaseModel):
    machine_id: str
    enterprise_id: str
    closest_m: float = Field(description="Nearest approach to the tip's place within the window")
    closest_at: datetime
    points: int = Field(description="Track points within the radius and the window")
    working: bool = Field(description="Reported working at any of those points")


class EvidenceView(RootModel[list[NearbyMachineView]]):
    """Machines whose tracks passed near the tip around its time, nearest first."""
