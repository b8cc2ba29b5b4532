"""Text hygiene for what people type: no control characters, not invisible-only."""

from __future__ import annotations

import unicodedata

from tianmen_events.errors import DomainError

# Characters that render as nothing although Unicode does not class them as spaces or format.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Mn", "Me"})


def clean_text(value: str, field: str, *, max_length: int, required: bool = True) -> str:
    """The text trimmed (NFC), or a refusal naming `field`."""
    text = unicodedata.normalize("NFC", value).strip()
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) == "Cc":
            raise DomainError(
                f"control character U+{ord(char):04X} at position {position}", field=field
            )
    if text and all(_invisible(char) for char in text):
        raise DomainError("the text has only invisible characters", field=field)
    if required and not text:
        raise DomainError("must not be empty", field=field)
    if len(text) > max_length:
        raise DomainError(f"at most {max_length} characters, got {len(text)}", field=field)
    return text


def identity_key(value: str) -> str:
    """A factory number as compared: full-width folded (NFKC), upper case, no spaces or dashes."""
    folded = unicodedata.normalize("NFKC", value).upper()
    return "".join(char for char in folded if char.isalnum())


def _invisible(char: str) -> bool:
    return char in _BLANKS or unicodedata.category(char) in _INVISIBLE_CATEGORIES
