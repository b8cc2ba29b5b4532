"""What telemetry's fleet queries answer: a machine's track, the fleet as an ISO 15143-3
(AEMP 2.0) snapshot, terminals online per jurisdiction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TrackPoint(BaseModel):
    report_id: str
    reported_at: datetime
    latitude: float
    longitude: float
    working: bool
    engine_hours: float | None
    fuel_level_pct: float | None


class _Aemp(BaseModel):
    """AEMP field names are PascalCase on the wire (ISO 15143-3 §5, JSON binding)."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


class EquipmentHeader(_Aemp):
    oem_name: str | None = Field(None, alias="OEMName")
    model: str | None = Field(None, alias="Model")
    equipment_id: str = Field(alias="EquipmentID")
    serial_number: str | None = Field(None, alias="SerialNumber")
    pin: str | None = Field(None, alias="PIN")


class AempLocation(_Aemp):
    datetime_: datetime = Field(alias="datetime")
    latitude: float = Field(alias="Latitude")
    longitude: float = Field(alias="Longitude")


class OperatingHours(_Aemp):
    datetime_: datetime = Field(alias="datetime")
    hour: float = Field(alias="Hour")


class FuelRemaining(_Aemp):
    datetime_: datetime = Field(alias="datetime")
    percent: float = Field(alias="Percent")


class Equipment(_Aemp):
    header: EquipmentHeader = Field(alias="EquipmentHeader")
    location: AempLocation | None = Field(None, alias="Location")
    cumulative_operating_hours: OperatingHours | None = Field(
        None, alias="CumulativeOperatingHours"
    )
    fuel_remaining: FuelRemaining | None = Field(None, alias="FuelRemaining")


class Fleet(_Aemp):
    version: str = "2"
    snapshot_time: datetime = Field(alias="snapshotTime")
    equipment: list[Equipment] = Field(alias="Equipment")


class AempSnapshot(_Aemp):
    fleet: Fleet = Field(alias="Fleet")


def equipment_of(row: dict[str, Any]) -> Equipment:
    """One machine from `fleet.fleet_of`; the elements nothing reported are left out."""
    at = row["last_report_at"]
    header = EquipmentHeader(
        oem_name=row["brand"],
        model=row["model"],
        equipment_id=row["machine_id"],
        serial_number=row["serial_number"],
        pin=row["serial_number"],
    )
    if at is None:
        return Equipment(header=header)
    hours, fuel = row["engine_hours"], row["fuel_level_pct"]
    return Equipment(
        header=header,
        location=AempLocation(datetime_=at, latitude=row["latitude"], longitude=row["longitude"]),
        cumulative_operating_hours=None
        if hours is None
        else OperatingHours(datetime_=at, hour=hours),
        fuel_remaining=None if fuel is None else FuelRemaining(datetime_=at, percent=fuel),
    )


class JurisdictionTerminals(BaseModel):
    jurisdiction: str | None
    online: int
    offline: int


class TerminalCounts(BaseModel):
    as_of: datetime
    online_window_s: int
    jurisdictions: list[JurisdictionTerminals]
