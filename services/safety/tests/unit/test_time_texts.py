"""The texts rows keep of times: `as_given` is `isoformat()` whatever `utc` cached before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import BaseModel
from tianmen_safety.adapters.case_rows import as_given, utc

SHANGHAI = timezone(timedelta(hours=8))


class _Decoded(BaseModel):
    at: datetime


def decoded(at: datetime) -> datetime:
    """As a consumer decodes it: pydantic's own tzinfo."""
    return _Decoded.model_validate_json(_Decoded(at=at).model_dump_json()).at


def forms_of(instant: datetime) -> list[datetime]:
    """One instant as the store meets it: UTC, Shanghai, decoded in each, parsed from text."""
    local = instant.astimezone(SHANGHAI)
    return [
        instant,
        local,
        decoded(instant),
        decoded(local),
        datetime.fromisoformat(instant.isoformat()),
    ]


@pytest.mark.parametrize("micro", [0, 120])
def test_as_given_is_isoformat_after_the_same_instant_was_cached_in_another_zone(
    micro: int,
) -> None:
    instant = datetime(2026, 3, 10, 15, 40, 5, micro, tzinfo=UTC)
    forms = forms_of(instant)
    for first in forms:
        utc(first)  # the cache holds the instant's UTC text, keyed as any of its forms
        for at in forms:
            assert as_given(at) == at.isoformat()
    assert utc(forms[1]) == instant.isoformat()


@pytest.mark.parametrize("micro", [0, 120])
def test_utc_is_the_instants_utc_text_whatever_form_was_cached_first(micro: int) -> None:
    instant = datetime(2026, 3, 11, 15, 40, 5, micro, tzinfo=UTC)
    forms = forms_of(instant)
    for first in forms:
        as_given(first)  # the cache holds the instant, keyed as any of its forms
        for at in forms:
            assert utc(at) == at.astimezone(UTC).isoformat() == instant.isoformat()
