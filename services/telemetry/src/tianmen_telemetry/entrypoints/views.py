"""What telemetry's fleet queries answer: a machine's track, the fleet as an ISO 15143-3
(AEMP 2.0) snapshot, terminals online per jurisdiction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

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


class IdleHours(OperatingHours):
    """`CumulativeIdleHours`: ACC on while the machine stood (under 10 m between two fixes),
    over every report telemetry folded (reports carry no engine load)."""


class FuelUsed(_Aemp):
    """`FuelUsed`: the standard's `FuelConsumed` in `FuelUnits`. Reports give the tank's level
    in %; the level points dropped (a rise is a refuel), summed, are litres with the tank the
    machine is registered with (`litre`, as ISO 15143-3 means it), and stay `percent` (which
    passes 100 with use) for a machine registered without one."""

    datetime_: datetime = Field(alias="datetime")
    fuel_units: Literal["percent", "litre"] = Field("percent", alias="FuelUnits")
    fuel_consumed: float = Field(alias="FuelConsumed")


def fuel_used(at: datetime, used_mpct: int, used_ml: int, tank_litres: float | None) -> FuelUsed:
    """Litres for a machine with a tank (each report's drop levelled with the tank in force at
    its time, kept in millilitres: decision 120), else percent (thousandths kept)."""
    if tank_litres is None:
        return FuelUsed(datetime_=at, fuel_consumed=used_mpct / 1000)
    return FuelUsed(datetime_=at, fuel_units="litre", fuel_consumed=used_ml / 1000)


class Distance(_Aemp):
    """`Distance`: the machine's odometer as its terminal last gave it (JT/T 808 item 0x01,
    1/10 km), `OdometerUnits` `kilometre` as ISO 15143-3 names the unit, dated by the report
    that gave it (which may be older than the `Location`)."""

    datetime_: datetime = Field(alias="datetime")
    odometer_units: Literal["kilometre"] = Field("kilometre", alias="OdometerUnits")
    odometer: float = Field(alias="Odometer")


class FuelRemaining(_Aemp):
    datetime_: datetime = Field(alias="datetime")
    percent: float = Field(alias="Percent")


class Equipment(_Aemp):
    header: EquipmentHeader = Field(alias="EquipmentHeader")
    location: AempLocation | None = Field(None, alias="Location")
    cumulative_operating_hours: OperatingHours | None = Field(
        None, alias="CumulativeOperatingHours"
    )
    cumulative_idle_hours: IdleHours | None = Field(None, alias="CumulativeIdleHours")
    distance: Distance | None = Field(None, alias="Distance")
    fuel_used: FuelUsed | None = Field(None, alias="FuelUsed")
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
    idle_us, used_mpct = row["idle_us"], row["fuel_used_mpct"]
    odometer, odometer_at = row["odometer_km"], row["odometer_at"]
    return Equipment(
        header=header,
        location=AempLocation(datetime_=at, latitude=row["latitude"], longitude=row["longitude"]),
        cumulative_operating_hours=None
        if hours is None
        else OperatingHours(datetime_=at, hour=hours),
        cumulative_idle_hours=None
        if idle_us is None
        else IdleHours(datetime_=at, hour=idle_us / US_AN_HOUR),
        distance=None
        if odometer is None or odometer_at is None
        else Distance(datetime_=odometer_at, odometer=odometer),
        fuel_used=None
        if used_mpct is None
        else fuel_used(at, used_mpct, row["fuel_used_ml"], row["fuel_tank_litres"]),
        fuel_remaining=None if fuel is None else FuelRemaining(datetime_=at, percent=fuel),
    )


US_AN_HOUR = 3_600_000_000


class DayUsageView(BaseModel):
    """One local day (Asia/Shanghai) of a machine's usage (`domain/usage.py`)."""

    day: date
    operating_hours: float
    idle_hours: float = Field(description="ACC on, standing: under 10 m between two fixes")
    fuel_used_pct: float = Field(description="tank level points dropped; a rise is a refuel")
    windows: int = Field(description="continuous-work windows begun that day")
    longest_window_hours: float = Field(description="the longest window begun that day")


class MachineUsage(BaseModel):
    machine_id: str
    from_: date = Field(alias="from")
    to: date
    days: list[DayUsageView] = Field(description="days with reports only, oldest first")

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


def day_usage_of(row: dict[str, Any]) -> DayUsageView:
    """One `machine_day_usage` row in hours and percent."""
    return DayUsageView(
        day=row["day"],
        operating_hours=row["operating_us"] / US_AN_HOUR,
        idle_hours=row["idle_us"] / US_AN_HOUR,
        fuel_used_pct=row["fuel_used_mpct"] / 1000,
        windows=row["windows"],
        longest_window_hours=row["longest_window_us"] / US_AN_HOUR,
    )


class JurisdictionTerminals(BaseModel):
    jurisdiction: str | None
    online: int
    offline: int


class TerminalCounts(BaseModel):
    as_of: datetime
    online_window_s: int
    jurisdictions: list[JurisdictionTerminals]
