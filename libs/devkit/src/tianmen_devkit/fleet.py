"""The simulated fleet (issue 8): machines on work sites with realistic days, and a few bad actors.

Every machine belongs to one of three enterprises and stands on one of its work sites. Day
crews work 08:00-11:30 and 13:00-17:00 (Asia/Shanghai), each half under the continuous-work
rule's 4 hours. A machine's engine hours rise and its fuel falls only while it works (each at
its own steady rate), its level stays put while it is parked, and it is refuelled before a
shift when low. A few machines in every fifty play a part:

- lawful night work: works 20:00-23:30 and 00:30-04:00 on a site holding a night-work permit;
- unlawful night work: works 22:30-02:00 on a site without one;
- a tamperer: a day crew whose terminal reports its power and antenna cut at 03:00;
- a silent mover: works 18:00-21:00, goes silent 19:00-19:45 and reappears on its enterprise's
  other site, kilometres away (the next evening it moves back);
- a fuel thief: a day crew whose parked tank loses 30 points at 01:00.

Everything follows from the fleet's seed and the times the fleet is stepped to: the same steps
give the same readings (a simulator is not replayed, but reproducible runs help tests).
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tianmen_events.ids import derive_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENTERPRISES = (
    ("91429006MA49ABCDX8", "天门市竟陵土石方工程有限公司"),
    ("91429006MA4F2K3L4A", "天门汉江建设机械租赁有限公司"),
    ("91429006MA4DX7Y1XJ", "湖北天岳混凝土有限公司"),
)
KINDS = (
    ("excavator", "SANY", "SY215C"),
    ("truck_crane", "XCMG", "XCT25"),
    ("concrete_pump_truck", "Zoomlion", "ZLJ5440THBBF"),
    ("excavator", "LiuGong", "922F"),
)
SITES = 12
"""Sites 0-2 (one an enterprise) hold night-work permits; site s belongs to enterprise s % 3."""
PERMITTED_SITES = range(3)
SITE_HALF_SIZE = (0.004, 0.005)  # degrees of latitude, longitude: about 900 x 950 m
FULL_TANK, REFUEL_BELOW, STOLEN = 95.0, 45.0, 30.0
WANDER = 0.0003  # degrees: about 30 m
HOURS_EPOCH, MAX_HOURS_A_DAY = datetime(2026, 1, 1, tzinfo=SHANGHAI), 8.0
"""A fleet started (again) at `now` starts with a full tank and its hour meter 8 h a day on
from 2026: no crew works longer, so a restart of `make run` never reads a parked tank's level
lower, nor an hour meter going back, than what was last reported."""


class Profile(enum.Enum):
    DAY = "day"
    LAWFUL_NIGHT = "lawful_night"
    UNLAWFUL_NIGHT = "unlawful_night"
    TAMPERER = "tamperer"
    SILENT_MOVER = "silent_mover"
    FUEL_THIEF = "fuel_thief"


Shift = tuple[tuple[time, time], ...]
DAY_SHIFT: Shift = ((time(8), time(11, 30)), (time(13), time(17)))
SHIFTS: dict[Profile, Shift] = {
    Profile.DAY: DAY_SHIFT,
    Profile.LAWFUL_NIGHT: ((time(20), time(23, 30)), (time(0, 30), time(4))),
    Profile.UNLAWFUL_NIGHT: ((time(22, 30), time(2)),),
    Profile.TAMPERER: DAY_SHIFT,
    Profile.SILENT_MOVER: ((time(18), time(21)),),
    Profile.FUEL_THIEF: DAY_SHIFT,
}
ROLES = {1: Profile.LAWFUL_NIGHT, 3: Profile.UNLAWFUL_NIGHT, 5: Profile.TAMPERER}
ROLES |= {7: Profile.SILENT_MOVER, 9: Profile.FUEL_THIEF, 11: Profile.LAWFUL_NIGHT}
"""Machine number % 50 -> its part: twelve machines (`make run`) hold one of each."""
SILENCE = (time(19), time(19, 45))
TAMPER_AT, THEFT_AT = time(3), time(1)


@dataclass(frozen=True)
class Site:
    number: int
    centre: tuple[float, float]  # latitude, longitude

    @property
    def enterprise(self) -> int:
        return self.number % len(ENTERPRISES)

    @property
    def name(self) -> str:
        return f"模拟工地 {self.number:02d}"

    def boundary(self) -> dict[str, object]:
        """A GeoJSON polygon around the centre ([longitude, latitude] pairs)."""
        (lat, lon), (dlat, dlon) = self.centre, SITE_HALF_SIZE
        ring = [(lon - dlon, lat - dlat), (lon + dlon, lat - dlat), (lon + dlon, lat + dlat)]
        ring += [(lon - dlon, lat + dlat), (lon - dlon, lat - dlat)]
        return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def site(number: int) -> Site:
    """Twelve sites in and around 竟陵, 2-8 km apart: three rows of four."""
    row, column = divmod(number, 4)
    return Site(number, (30.650 + 0.02 * row, 113.150 + 0.025 * column))


@dataclass(frozen=True)
class Machine:
    enterprise: int
    kind: str
    brand: str
    model: str
    serial_number: str
    terminal_id: str
    site: tuple[float, float]  # where it stands on its site (latitude, longitude)
    profile: Profile = Profile.DAY
    site_number: int = 3
    burn_per_hour: float = 6.0  # fuel points an engine hour
    fuel_tank_litres: float = 400.0  # as registered: a JT/T 808 terminal reports litres

    @property
    def machine_id(self) -> str:
        return derive_id("machine", self.brand.casefold(), self.serial_number)

    def working(self, at: datetime) -> bool:
        clock = at.astimezone(SHANGHAI).time()
        return any(_within(clock, start, end) for start, end in SHIFTS[self.profile])

    def silent(self, at: datetime) -> bool:
        local = at.astimezone(SHANGHAI).time()
        return self.profile is Profile.SILENT_MOVER and _within(local, *SILENCE)

    def position(self, at: datetime) -> tuple[float, float]:
        """Its place on its site; a silent mover's alternates between two sites each evening."""
        if self.profile is not Profile.SILENT_MOVER:
            return self.site
        local = at.astimezone(SHANGHAI)
        moves = local.date().toordinal() + (local.time() >= SILENCE[1])
        if moves % 2 == 0:
            return self.site
        (lat, lon), home, away = self.site, site(self.site_number), site(self.site_number + 3)
        return lat - home.centre[0] + away.centre[0], lon - home.centre[1] + away.centre[1]


def _within(clock: time, start: time, end: time) -> bool:
    return start <= clock < end if start < end else clock >= start or clock < end


def site_of(number: int, profile: Profile) -> int:
    if profile is Profile.LAWFUL_NIGHT:
        return number % 3
    if profile is Profile.SILENT_MOVER:
        return 3 + number % 6  # its other site, 3 on, is its enterprise's as well
    return 3 + number % 9


def fleet(size: int = 12, seed: int = 2026, first: int = 0) -> list[Machine]:
    """`size` machines from number `first` (`make run` uses the first twelve; the CLI and `make
    soak` thousands; another `first`, another fleet of the same parts)."""
    return [_machine(number, seed) for number in range(first, first + size)]


def _machine(number: int, seed: int) -> Machine:
    rng = random.Random(f"{seed}:{number}")  # noqa: S311 - a reproducible simulation
    kind, brand, model = KINDS[number % len(KINDS)]
    profile = ROLES.get(number % 50, Profile.DAY)
    where = site_of(number, profile)
    lat, lon = site(where).centre
    spot = (round(lat + rng.uniform(-0.003, 0.003), 6), round(lon + rng.uniform(-0.004, 0.004), 6))
    return Machine(
        where % len(ENTERPRISES),
        kind,
        brand,
        model,
        f"TM2026{number:05d}",
        f"1440{number:08d}",
        spot,
        profile,
        where,
        round(rng.uniform(4.0, 8.0), 1),
    )


def sites_of(machines: list[Machine]) -> list[Site]:
    """The sites `machines` stand on, and the silent movers' other sites."""
    numbers = {m.site_number for m in machines}
    numbers |= {m.site_number + 3 for m in machines if m.profile is Profile.SILENT_MOVER}
    return [site(n) for n in sorted(numbers)]


@dataclass(frozen=True)
class Reading:
    """One report of one machine, whatever the transport."""

    terminal_id: str
    at: datetime
    latitude: float
    longitude: float
    working: bool
    engine_hours: float
    fuel_level_pct: float
    alarms: tuple[str, ...] = ()
    fuel_tank_litres: float = 400.0  # the machine's, for a transport that sends litres


@dataclass
class _Tank:
    fuel: float
    hours: float
    last: datetime | None = None
    was_working: bool = False


@dataclass
class FleetModel:
    """The fleet's state, stepped through the times given (event time the caller controls)."""

    machines: list[Machine]
    seed: int = 2026
    tanks: dict[str, _Tank] = field(default_factory=dict)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - reproducible wander
        for m in self.machines:
            rng = random.Random(f"{self.seed}:tank:{m.terminal_id}")  # noqa: S311 - reproducible
            self.tanks[m.terminal_id] = _Tank(FULL_TANK, rng.uniform(200, 3000))

    def step(self, now: datetime) -> list[Reading]:
        """Every machine's reading at `now`, save those of terminals keeping silent."""
        readings = [self._advance(m, now) for m in self.machines]
        return [r for r in readings if r is not None]

    def _advance(self, m: Machine, now: datetime) -> Reading | None:
        tank, working = self.tanks[m.terminal_id], m.working(now)
        if tank.last is None:  # above what it read before a restart: no drop, no hours lost
            tank.hours += MAX_HOURS_A_DAY * ((now - HOURS_EPOCH) / timedelta(days=1))
        _burn(m, tank, now, working)
        alarms = _tamper(m, tank.last, now)
        if m.profile is Profile.FUEL_THIEF and _passed(tank.last, now, THEFT_AT):
            tank.fuel = max(tank.fuel - STOLEN, 0.0)
        tank.last, tank.was_working = now, working
        if m.silent(now):
            return None
        lat, lon = m.position(now)
        if working:  # it moves about its spot while it works
            lat += self.rng.uniform(-WANDER, WANDER)
            lon += self.rng.uniform(-WANDER, WANDER)
        hours, fuel = round(tank.hours, 2), round(tank.fuel, 1)
        return Reading(
            m.terminal_id,
            now,
            round(lat, 6),
            round(lon, 6),
            working,
            hours,
            fuel,
            alarms,
            m.fuel_tank_litres,
        )


def _burn(m: Machine, tank: _Tank, now: datetime, working: bool) -> None:
    """Hours and fuel go on only while it works; it is refuelled before a shift when low."""
    if working and tank.was_working and tank.last is not None:
        worked = (now - tank.last) / timedelta(hours=1)
        tank.hours += worked
        tank.fuel = max(tank.fuel - m.burn_per_hour * worked, 0.0)
    elif working and tank.fuel < REFUEL_BELOW:
        tank.fuel = FULL_TANK


def _tamper(m: Machine, last: datetime | None, now: datetime) -> tuple[str, ...]:
    if m.profile is Profile.TAMPERER and _passed(last, now, TAMPER_AT):
        return ("power_cut", "antenna_cut")
    return ()


def _passed(last: datetime | None, now: datetime, clock: time) -> bool:
    """Whether the local time `clock` fell in (last, now] (never on the first step)."""
    if last is None:
        return False
    day = now.astimezone(SHANGHAI).date()
    for back in range(int((now - last) / timedelta(days=1)) + 2):
        instant = datetime.combine(day - timedelta(days=back), clock, SHANGHAI)
        if last < instant <= now:
            return True
    return False
