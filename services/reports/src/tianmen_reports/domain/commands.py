"""What a citizen asks of the reports service."""

from __future__ import annotations

from dataclasses import dataclass, field

from tianmen_events.reports import TipCategory


@dataclass(frozen=True)
class Contact:
    """How staff may reach the reporter. Kept out of reprs so it never lands in a log line."""

    name: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class SubmitTip:
    """A 随手拍 tip-off. `tip_id` is chosen at the edge (from an idempotency key, or fresh)."""

    tip_id: str
    category: TipCategory
    description: str
    latitude: float
    longitude: float
    anonymous: bool
    photo_urls: tuple[str, ...] = ()
    contact: Contact | None = field(default=None, repr=False)
    reporter: str | None = None  # the pseudonym, computed at the edge
    media_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RevealContact:
    tip_id: str
    actor: str
    reason: str
