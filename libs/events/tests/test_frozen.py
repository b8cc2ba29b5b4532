"""`assembled` makes the instance the constructor makes, or it is not used."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, fields, replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tianmen_events.frozen import assembled


@dataclass(frozen=True)
class _Reading:
    machine_id: str
    at: datetime
    level: float | None
    working: bool


_FIELDS = tuple(f.name for f in fields(_Reading))
_readings = st.builds(
    _Reading,
    st.text(max_size=8),
    st.datetimes(timezones=st.just(UTC)),
    st.one_of(st.none(), st.floats(allow_nan=False)),
    st.booleans(),
)


@given(_readings)
def test_from_a_dict_it_is_the_constructors_instance(made: _Reading) -> None:
    built = assembled(
        _Reading,
        {
            "machine_id": made.machine_id,
            "at": made.at,
            "level": made.level,
            "working": made.working,
        },
    )
    assert built == made and hash(built) == hash(made) and vars(built) == vars(made)
    assert list(vars(built)) == list(_FIELDS)  # the same order: a row read by position agrees


@given(_readings)
def test_from_a_row_by_position_it_is_the_constructors_instance(made: _Reading) -> None:
    row = tuple(getattr(made, name) for name in _FIELDS)
    built = assembled(_Reading, zip(_FIELDS, row, strict=True))
    assert built == _Reading(*row) and hash(built) == hash(made)


@given(_readings, st.booleans())
def test_from_another_instances_fields_it_is_replaces(made: _Reading, working: bool) -> None:
    built = assembled(_Reading, vars(made) | {"working": working})
    assert built == replace(made, working=working) and vars(built) == vars(
        replace(made, working=working)
    )


def test_it_stays_frozen() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    built = assembled(_Reading, {"machine_id": "m", "at": at, "level": None, "working": False})
    with pytest.raises(FrozenInstanceError):
        built.working = True  # type: ignore[misc]
