"""A terminal simulator for `make run`: a small Tianmen fleet reporting through the gateway.

Three enterprises and their excavators, cranes and pump trucks report every few seconds with
the wall clock as device time, like real JT/T 808 terminals. Most work day shifts; the night
crew of 天门汉江建设 works 20:00–02:00, so at night the suite raises real night-work alerts.
Registration is idempotent: restarting `make run` reuses the fleet already registered.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tianmen_events.ids import derive_id

log = logging.getLogger(__name__)
DEMO_PASSWORD = "tianmen-dev"  # noqa: S105 - the gateway's documented local default
SHANGHAI = ZoneInfo("Asia/Shanghai")
ENTERPRISES = (
    ("91429006MA49ABCDX8", "天门市竟陵土石方工程有限公司"),
    ("91429006MA4F2K3L4A", "天门汉江建设机械租赁有限公司"),
    ("91429006MA4DX7Y1XJ", "湖北天岳混凝土有限公司"),
)
CLIENT_TIMEOUT_S = 15.0
"""Above the gateway's upstream timeout, so the gateway answers first (docs/decisions.md)."""
KINDS = (
    ("excavator", "SANY", "SY215C"),
    ("truck_crane", "XCMG", "XCT25"),
    ("concrete_pump_truck", "Zoomlion", "ZLJ5440THBBF"),
    ("excavator", "LiuGong", "922F"),
)


@dataclass(frozen=True)
class Machine:
    enterprise: int
    kind: str
    brand: str
    model: str
    serial_number: str
    terminal_id: str
    site: tuple[float, float]
    shift: tuple[int, int]

    @property
    def machine_id(self) -> str:
        return derive_id("machine", self.brand.casefold(), self.serial_number)

    def working(self, hour: int) -> bool:
        start, end = self.shift
        return start <= hour < end if start < end else hour >= start or hour < end


def fleet(size: int = 12) -> list[Machine]:
    """The first `size` machines of the fleet (`make run` uses twelve; `make soak` thousands)."""
    machines = []
    for number in range(size):
        kind, brand, model = KINDS[number % len(KINDS)]
        enterprise = number % len(ENTERPRISES)
        shift = (20, 2) if enterprise == 1 and number % 2 else (7, 18)
        site = (30.653 + 0.01 * (number % 4), 113.166 + 0.012 * (number // 4 % 10))
        machines.append(
            Machine(
                enterprise,
                kind,
                brand,
                model,
                f"TM2026{number:05d}",
                f"1440{number:08d}",
                site,
                shift,
            )
        )
    return machines


class Simulator:
    def __init__(
        self,
        gateway_url: str,
        interval: float = 10.0,
        machines: list[Machine] | None = None,
        password: str = DEMO_PASSWORD,
    ) -> None:
        self.api = f"{gateway_url}/api/v1"
        self.password = password
        self.tokens: dict[str, str] = {}
        self.interval = interval
        self.machines = machines if machines is not None else fleet()
        self.rng = random.Random(2026)  # noqa: S311 - simulated wander, never replayed

    def register(self) -> bool:
        """Register the fleet (again: it is idempotent); True once every call was answered."""
        ids = [derive_id("enterprise", uscc) for uscc, _ in ENTERPRISES]
        answers = [self._post("/enterprises", {"uscc": u, "name": n}) for u, n in ENTERPRISES]
        for m in self.machines:
            machine = {
                "enterprise_id": ids[m.enterprise],
                "kind": m.kind,
                "brand": m.brand,
                "model": m.model,
                "serial_number": m.serial_number,
            }
            answers.append(self._post("/machines", machine))
            terminal = {"terminal_id": m.terminal_id}
            answers.append(self._call("PUT", f"/machines/{m.machine_id}/terminal", terminal))
        return all(status < 500 and status != 0 for status, _ in answers)

    def report_once(self, now: datetime) -> int:
        hour = now.astimezone(SHANGHAI).hour
        reports = [self._report(m, now, m.working(hour)) for m in self.machines]
        status, _ = self._post("/telemetry/reports", {"reports": reports})
        return len(reports) if status == 202 else 0

    def _report(self, m: Machine, now: datetime, working: bool) -> dict[str, Any]:
        wander = 0.0004 if working else 0.0
        return {
            "terminal_id": m.terminal_id,
            "reported_at": now.isoformat(),
            "latitude": round(m.site[0] + self.rng.uniform(-wander, wander), 6),
            "longitude": round(m.site[1] + self.rng.uniform(-wander, wander), 6),
            "working": working,
            "fuel_level_pct": round(self.rng.uniform(20, 95), 1),
        }

    def run(self, stop: threading.Event) -> None:
        """Report until `stop`, riding out outages: an unanswered round is logged and the next
        one tried; registration is repeated until it went through."""
        registered = False
        while not stop.is_set():
            try:
                registered = registered or self.register()
                if registered:
                    self.report_once(datetime.now(UTC))
            except Exception:  # a simulator round must never end the simulation
                log.exception("simulator: round failed; trying again")
            stop.wait(self.interval)

    def _bearer(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            login = {"username": user, "password": self.password}
            request = urllib.request.Request(  # noqa: S310 - the local gateway
                f"{self.api}/auth/token",
                data=json.dumps(login).encode(),
                headers={"content-type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                self.tokens[user] = json.loads(response.read())["access_token"]
        return {"authorization": f"Bearer {self.tokens[user]}"}

    def _post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        return self._call("POST", path, body)

    def _call(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        # The terminal platform reports; city staff register the fleet (demo logins).
        user = "platform" if path == "/telemetry/reports" else "city"
        headers = {"content-type": "application/json", **self._bearer(user)}
        request = urllib.request.Request(  # noqa: S310 - the local gateway
            self.api + path, data=json.dumps(body).encode(), method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT_S) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            if exc.code == 401:  # the token expired: log in again next time
                self.tokens.pop(user, None)
            if exc.code not in (409, 422):
                log.warning("simulator: %s %s -> %s", method, path, exc.code)
            return exc.code, None
        except OSError as exc:  # unreachable, or no answer in time (URLError, TimeoutError)
            log.warning("simulator: %s %s -> %s", method, path, exc)
            return 0, None
