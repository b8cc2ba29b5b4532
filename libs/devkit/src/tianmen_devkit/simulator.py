"""The fleet simulator (issue 8): `make run`'s twelve machines, or thousands from the CLI.

The fleet (`tianmen_devkit.fleet`) is registered through the gateway as city staff would:
enterprises, their work sites, night-work permits for the lawful night crews' sites, machines
and terminal binds — all idempotent, so restarting reuses what is registered. Its readings go
to the suite over HTTP (the gateway's report ingest, as a terminal platform) or over JT/T 808
(one TCP connection a terminal to telemetry's JT/T 808 server; `tianmen_devkit.jt808_fleet`).

    python -m tianmen_devkit.simulator --machines 8000 --transport jt808 --interval 30
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from tianmen_events.ids import derive_id

from tianmen_devkit.fleet import (
    ENTERPRISES,
    PERMITTED_SITES,
    SHANGHAI,
    FleetModel,
    Machine,
    Reading,
    fleet,
    sites_of,
)

__all__ = ["DEMO_PASSWORD", "Machine", "Simulator", "fleet"]
log = logging.getLogger(__name__)
DEMO_PASSWORD = "tianmen-dev"  # noqa: S105 - the gateway's documented local default
CLIENT_TIMEOUT_S = 15.0
"""Above the gateway's upstream timeout, so the gateway answers first (docs/decisions.md)."""
BATCH = 1000  # the most reports one POST may carry
PERMIT_DAYS = 60  # within the registry's 90; permits are issued for this window and the next
PERMIT_EPOCH = datetime(2026, 1, 1, tzinfo=SHANGHAI)
NIGHT_HOURS = {"start": "20:00", "end": "05:00"}


class Transport(Protocol):
    def send(self, readings: Sequence[Reading]) -> int:
        """Deliver the readings; the number the suite accepted."""
        ...


class Simulator:
    def __init__(
        self,
        gateway_url: str,
        interval: float = 10.0,
        machines: list[Machine] | None = None,
        password: str = DEMO_PASSWORD,
        seed: int = 2026,
        transport: Transport | None = None,
    ) -> None:
        self.api = f"{gateway_url}/api/v1"
        self.password = password
        self.tokens: dict[str, str] = {}
        self.interval = interval
        self.machines = machines if machines is not None else fleet(seed=seed)
        self.model = FleetModel(self.machines, seed)
        self.transport = transport if transport is not None else HttpReports(self)

    def register(self, now: datetime | None = None) -> bool:
        """Register the fleet (again: it is idempotent); True once every call was answered."""
        now = now if now is not None else datetime.now(UTC)
        ids = [derive_id("enterprise", uscc) for uscc, _ in ENTERPRISES]
        answers = [self._post("/enterprises", {"uscc": u, "name": n}) for u, n in ENTERPRISES]
        for site in sites_of(self.machines):
            enterprise = ids[site.enterprise]
            body = {"enterprise_id": enterprise, "name": site.name, "boundary": site.boundary()}
            answers.append(self._post("/sites", body))
            if site.number in PERMITTED_SITES:
                site_id = derive_id("site", enterprise, site.name)  # as the registry derives it
                answers += [
                    self._post(f"/sites/{site_id}/night-work-permits", p) for p in permits(now)
                ]
        for m in self.machines:
            machine = {
                "enterprise_id": ids[m.enterprise],
                "kind": m.kind,
                "brand": m.brand,
                "model": m.model,
                "serial_number": m.serial_number,
                "fuel_tank_litres": m.fuel_tank_litres,
            }
            answers.append(self._post("/machines", machine))
            terminal = {"terminal_id": m.terminal_id}
            answers.append(self._call("PUT", f"/machines/{m.machine_id}/terminal", terminal))
        return all(status < 500 and status != 0 for status, _ in answers)

    def report_once(self, now: datetime) -> int:
        """Step the fleet to `now` and send its readings; the number accepted."""
        return self.transport.send(self.model.step(now))

    def run(self, stop: threading.Event, clock: Callable[[], datetime] | None = None) -> None:
        """Report until `stop`, riding out outages: an unanswered round is logged and the next
        one tried; registration is repeated until it went through."""
        clock = clock if clock is not None else _wall_clock
        registered = False
        while not stop.is_set():
            try:
                registered = registered or self.register(clock())
                if registered:
                    self.report_once(clock())
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


class HttpReports:
    """Readings as the terminal platform posts them: through the gateway, 1,000 a request."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def send(self, readings: Sequence[Reading]) -> int:
        accepted = 0
        for start in range(0, len(readings), BATCH):
            reports = [as_json(r) for r in readings[start : start + BATCH]]
            status, _ = self.simulator._post("/telemetry/reports", {"reports": reports})
            accepted += len(reports) if status == 202 else 0
        return accepted


def as_json(reading: Reading) -> dict[str, Any]:
    report: dict[str, Any] = {
        "terminal_id": reading.terminal_id,
        "reported_at": reading.at.isoformat(),
        "latitude": reading.latitude,
        "longitude": reading.longitude,
        "working": reading.working,
        "engine_hours": reading.engine_hours,
        "fuel_level_pct": reading.fuel_level_pct,
    }
    if reading.alarms:
        report["alarms"] = list(reading.alarms)
    return report


def permits(now: datetime) -> list[dict[str, Any]]:
    """Night-work permits for the window of `PERMIT_DAYS` holding `now` and the next: the
    same windows on every restart, so re-issuing them is a no-op (the id is derived)."""
    windows = (now - PERMIT_EPOCH) // timedelta(days=PERMIT_DAYS)
    starts = [PERMIT_EPOCH + timedelta(days=PERMIT_DAYS * (windows + k)) for k in (0, 1)]
    return [
        {
            "hours": NIGHT_HOURS,
            "valid_from": start.isoformat(),
            "valid_until": (start + timedelta(days=PERMIT_DAYS)).isoformat(),
            "reason": "夜间连续浇筑（模拟）",
        }
        for start in starts
    ]


def _wall_clock() -> datetime:
    return datetime.now(UTC)


def main(argv: list[str] | None = None) -> int:
    """`python -m tianmen_devkit.simulator`: a fleet against a running suite until Ctrl-C."""
    import argparse
    import os
    import signal

    parser = argparse.ArgumentParser(prog="python -m tianmen_devkit.simulator")
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--machines", type=int, default=8000)
    parser.add_argument("--transport", choices=("http", "jt808"), default="http")
    parser.add_argument("--jt808", default="127.0.0.1:8808", help="the JT/T 808 server host:port")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between rounds")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--start", type=datetime.fromisoformat, help="simulated start (ISO)")
    parser.add_argument("--speedup", type=float, default=1.0, help="simulated seconds a second")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    password = os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD)
    simulator = Simulator(
        args.gateway, args.interval, fleet(args.machines, args.seed), password, args.seed
    )
    jt808 = None
    if args.transport == "jt808":
        from tianmen_devkit.jt808_fleet import Jt808Reports

        host, port = args.jt808.rsplit(":", 1)
        simulator.transport = jt808 = Jt808Reports(host, int(port))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"simulator: {len(simulator.machines)} machines over {args.transport}, Ctrl-C stops")
    simulator.run(stop, simulated_clock(args.start, args.speedup))
    if jt808 is not None:
        jt808.close()
    return 0


def simulated_clock(start: datetime | None, speedup: float) -> Callable[[], datetime]:
    """Event time from `start` (now if None) on, `speedup` simulated seconds a real second."""
    import time

    began, origin = time.monotonic(), start if start is not None else _wall_clock()
    return lambda: origin + timedelta(seconds=(time.monotonic() - began) * speedup)


if __name__ == "__main__":
    raise SystemExit(main())
