"""`Instant`: the type of every instant an event carries, decoded in the standard library's zones.

pydantic's own parser gives a decoded instant pydantic-core's `TzInfo`, while the services'
instants are in `datetime.UTC`: every compare or subtraction across the two zones asks both
for their offsets (~0.8-1.7 us; 0.05 within one zone), every `astimezone` ~0.8. An `Instant`
is decoded by `datetime.fromisoformat` instead (C, ~0.2 us), whose zone for `Z` or `+00:00`
is `datetime.UTC` itself and for any other offset a fixed `datetime.timezone` of it.

Nothing stored or published changes: an offset is kept, not converted (a decoded report's
`+08:00` instant is copied into the events it causes, which publish it with its `+08:00`),
and pydantic writes a zone's offset the same whichever class holds it (`Z` for zero, `+08:00`,
microseconds as they were; `tests/test_instants.py` holds decode -> encode byte-identical).
`fromisoformat` reads only what pydantic writes (`2026-05-12T08:00:00[.ffffff](Z|+hh:mm)`);
any other text goes to pydantic's own parser, as before, and a zone it gives is swapped for
the standard library's. A datetime given in Python (an event built by a service) is kept as
it is unless its zone is pydantic's. An instant without a zone is refused: it names no instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated, Any

from pydantic import ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticCustomError, TzInfo

_from_iso = datetime.fromisoformat
_SHAPES = frozenset((20, 25, 27, 32))
"""The lengths of what pydantic writes: seconds or microseconds, then `Z` or `+hh:mm`."""
_ZONES: dict[timedelta, timezone] = {}


def _instant(value: Any, handler: ValidatorFunctionWrapHandler) -> datetime:
    if type(value) is str and len(value) in _SHAPES and value[10] == "T":
        try:
            instant: datetime = _from_iso(value)
        except ValueError:  # pydantic's own parser refuses it, with its own words
            pass
        else:  # an offset's minutes past 59 (`-00:60`) are an hour to it, not to pydantic
            if instant.tzinfo is not None and (value[-1] == "Z" or value[-2] < "6"):
                return instant
    instant = handler(value)
    zone = instant.tzinfo
    if zone is None:
        raise PydanticCustomError("instant_zone", "An instant needs its zone: Z or an offset")
    if type(zone) is TzInfo:
        return instant.replace(tzinfo=_zone(zone.utcoffset(None)))
    return instant


def _zone(offset: timedelta | None) -> timezone:
    """`datetime.UTC` for no offset, else one `datetime.timezone` for each offset met."""
    if not offset:
        return UTC
    zone = _ZONES.get(offset)
    if zone is None:
        zone = _ZONES[offset] = timezone(offset)
    return zone


Instant = Annotated[datetime, WrapValidator(_instant)]
"""An aware datetime, in `datetime.UTC` when its offset is zero (see the module's text)."""
