"""One machine, one identity: the keys no two machines in the register may share."""

from __future__ import annotations

from tianmen_events.errors import Conflict

from tianmen_registry.domain.brands import brand_key
from tianmen_registry.domain.commands import RegisterMachine
from tianmen_registry.domain.text import identity_key

# Identity key kind -> the command field a conflict names.
FIELDS = {"serial": "serial_number", "engine": "engine_number", "env": "environmental_code"}


def identity_keys(cmd: RegisterMachine) -> dict[str, str]:
    """`{kind: key}`: brand + serial always; engine number and environmental code when given."""
    return identity_keys_of(
        brand_key(cmd.brand), cmd.serial_number, cmd.engine_number, cmd.environmental_code
    )


def identity_keys_of(
    brand: str, serial_number: str, engine_number: str, environmental_code: str
) -> dict[str, str]:
    """The keys of a machine whose brand key is `brand`."""
    keys = {"serial": f"{brand}|{identity_key(serial_number)}"}
    if identity_key(engine_number):
        keys["engine"] = identity_key(engine_number)
    if identity_key(environmental_code):
        keys["env"] = identity_key(environmental_code)
    return keys


def refuse_taken(taken: set[str]) -> None:
    """Refuse when any key is held by another machine, naming the field but not the machine."""
    for kind, field in FIELDS.items():
        if kind in taken:
            raise Conflict(f"a machine with this {field} is already registered", field=field)
