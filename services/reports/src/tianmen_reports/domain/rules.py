"""Intake rules for a tip-off: data with a version, checked by small named functions."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from tianmen_events.errors import DomainError

from tianmen_reports.domain.commands import Contact, SubmitTip

CHINESE_MOBILE = re.compile(r"1[3-9]\d{9}")
MEDIA_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Area:
    """A WGS-84 bounding box in degrees: where a tip may plausibly be."""

    south: float
    west: float
    north: float
    east: float


# Mainland China and its islands; a deployment may narrow it to its own jurisdiction.
CHINA = Area(south=3.8, west=73.4, north=53.6, east=135.1)


@dataclass(frozen=True)
class TipRules:
    version: str = "1"
    area: Area = CHINA
    max_description: int = 2000
    max_photos: int = 9
    max_url_length: int = 2048
    max_name: int = 50


def check(cmd: SubmitTip, rules: TipRules) -> None:
    """Refuse the first rule the tip breaks, naming the field at fault."""
    check_description(cmd.description, rules)
    check_location(cmd.latitude, cmd.longitude, rules.area)
    check_photos(cmd.photo_urls, rules)
    check_media_ids(cmd.media_ids, rules)
    check_contact(cmd.contact, anonymous=cmd.anonymous, rules=rules)


def check_description(description: str, rules: TipRules) -> None:
    text = description.strip()
    if not text:
        raise DomainError("description must not be blank", field="description")
    if len(text) > rules.max_description:
        raise DomainError(
            f"description must be at most {rules.max_description} characters",
            field="description",
        )


def check_location(latitude: float, longitude: float, area: Area) -> None:
    if not area.south <= latitude <= area.north:
        raise DomainError(
            f"latitude must be within {area.south}..{area.north} (WGS-84 degrees)",
            field="latitude",
        )
    if not area.west <= longitude <= area.east:
        raise DomainError(
            f"longitude must be within {area.west}..{area.east} (WGS-84 degrees)",
            field="longitude",
        )


def check_photos(urls: tuple[str, ...], rules: TipRules) -> None:
    if len(urls) > rules.max_photos:
        raise DomainError(f"at most {rules.max_photos} photos", field="photo_urls")
    for index, url in enumerate(urls):
        if not _is_web_url(url, rules.max_url_length):
            raise DomainError("photo URL must be an http(s) URL", field=f"photo_urls.{index}")


def check_media_ids(media_ids: tuple[str, ...], rules: TipRules) -> None:
    if len(media_ids) > rules.max_photos:
        raise DomainError(f"at most {rules.max_photos} media", field="media_ids")
    for index, media_id in enumerate(media_ids):
        if not MEDIA_ID.fullmatch(media_id):
            raise DomainError("not a media id from POST /media", field=f"media_ids.{index}")


def _is_web_url(url: str, max_length: int) -> bool:
    if len(url) > max_length or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def normalised_contact(contact: Contact) -> Contact:
    """The contact as checked and stored: the name without surrounding whitespace."""
    return replace(contact, name=contact.name.strip() if contact.name is not None else None)


def check_contact(contact: Contact | None, *, anonymous: bool, rules: TipRules) -> None:
    if contact is None:
        return
    if anonymous:
        raise DomainError("an anonymous tip cannot carry a contact", field="contact")
    if contact.name is None and contact.phone is None:
        raise DomainError("a contact needs a name or a phone", field="contact")
    contact = normalised_contact(contact)
    if contact.name is not None and not 0 < len(contact.name) <= rules.max_name:
        raise DomainError(f"name must be 1..{rules.max_name} characters", field="contact.name")
    if contact.phone is not None and not CHINESE_MOBILE.fullmatch(contact.phone):
        # The message never echoes the number: reporters' contacts stay out of logs.
        raise DomainError(
            "phone must be a mainland China mobile number (11 digits, 13x-19x)",
            field="contact.phone",
        )
