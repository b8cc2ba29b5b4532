"""Alarm flag bits (§8.18, table 24) and status bits (table 25) of a location report."""

from __future__ import annotations

from enum import IntFlag


class Alarm(IntFlag):
    EMERGENCY = 1 << 0
    OVERSPEED = 1 << 1
    FATIGUE_DRIVING = 1 << 2
    DANGER_WARNING = 1 << 3
    GNSS_MODULE_FAULT = 1 << 4
    GNSS_ANTENNA_CUT = 1 << 5
    GNSS_ANTENNA_SHORT = 1 << 6
    POWER_UNDERVOLTAGE = 1 << 7
    POWER_CUT = 1 << 8
    DISPLAY_FAULT = 1 << 9
    TTS_FAULT = 1 << 10
    CAMERA_FAULT = 1 << 11
    IC_CARD_FAULT = 1 << 12
    OVERSPEED_WARNING = 1 << 13
    FATIGUE_WARNING = 1 << 14
    VIOLATION_DRIVING = 1 << 15
    TYRE_PRESSURE_WARNING = 1 << 16
    RIGHT_TURN_BLIND_SPOT = 1 << 17
    DRIVING_TIMEOUT_TODAY = 1 << 18
    PARKING_TIMEOUT = 1 << 19
    AREA_IN_OUT = 1 << 20
    ROUTE_IN_OUT = 1 << 21
    ROUTE_TIME = 1 << 22
    ROUTE_DEVIATION = 1 << 23
    VSS_FAULT = 1 << 24
    FUEL_ABNORMAL = 1 << 25
    STOLEN = 1 << 26
    ILLEGAL_IGNITION = 1 << 27
    ILLEGAL_DISPLACEMENT = 1 << 28
    COLLISION_WARNING = 1 << 29
    ROLLOVER_WARNING = 1 << 30
    ILLEGAL_DOOR_OPENING = 1 << 31


class Status(IntFlag):
    ACC_ON = 1 << 0
    POSITIONED = 1 << 1
    SOUTH = 1 << 2  # latitude is south
    WEST = 1 << 3  # longitude is west
    OUT_OF_SERVICE = 1 << 4  # 停运
    COORDINATES_ENCRYPTED = 1 << 5
    LOAD_HALF = 1 << 8  # bits 8-9: 00 empty, 01 half, 11 full
    LOAD_FULL = 1 << 9
    FUEL_CIRCUIT_CUT = 1 << 10
    ELECTRIC_CIRCUIT_CUT = 1 << 11
    DOOR_LOCKED = 1 << 12
    GPS = 1 << 18
    BEIDOU = 1 << 19
    GLONASS = 1 << 20
    GALILEO = 1 << 21
    MOVING = 1 << 22  # 2019: 0 stopped, 1 moving
