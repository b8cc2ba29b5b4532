"""Documents attached to applications: what each kind needs, and what a file may be."""

from __future__ import annotations

from collections.abc import Iterable

from tianmen_events.errors import DomainError
from tianmen_events.registry import ApplicationKind, Attachment

MAX_SIZE = 10 * 1024 * 1024
# Media type -> the bytes a file of that type starts with.
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
REQUIRED: dict[ApplicationKind, frozenset[str]] = {
    ApplicationKind.REGISTRATION: frozenset({"purchase_invoice", "certificate_of_conformity"}),
    ApplicationKind.ANNUAL_REVIEW: frozenset({"inspection_report"}),
    ApplicationKind.CHANGE: frozenset({"change_evidence"}),
    ApplicationKind.TRANSFER: frozenset({"transfer_contract"}),
    ApplicationKind.DEREGISTRATION: frozenset({"deregistration_statement"}),
}
TYPES = frozenset().union(*REQUIRED.values()) | {"photo", "other"}


def check_file(media_type: str, content: bytes) -> None:
    """Refuse a file of another type than declared, empty or too large."""
    if media_type not in SIGNATURES:
        raise DomainError(f"accepted types: {', '.join(SIGNATURES)}", field="content-type")
    if not content:
        raise DomainError("the file is empty", field="file")
    if len(content) > MAX_SIZE:
        raise DomainError(f"at most {MAX_SIZE} bytes, got {len(content)}", field="file")
    if not content.startswith(SIGNATURES[media_type]):
        raise DomainError(f"the file is not {media_type}", field="file")


def check_required(kind: ApplicationKind, attachments: Iterable[Attachment]) -> None:
    given = {attachment.type for attachment in attachments}
    unknown = sorted(given - TYPES)
    if unknown:
        raise DomainError(f"unknown attachment type {unknown[0]}", field="attachments")
    missing = sorted(REQUIRED[kind] - given)
    if missing:
        raise DomainError(f"a {kind} application needs {', '.join(missing)}", field="attachments")
