"""The fleet over JT/T 808: one simulated terminal (telemetry's `SimulatedTerminal`) a machine,
each on its own TCP connection to telemetry's JT/T 808 server, registered and authenticated
once and kept open between rounds; a terminal whose connection failed logs in again next round.

JT/T 808 carries the position, ACC (working) and the alarm bits, the fuel in litres (item
0x02, which telemetry makes a level with the tank each machine is registered with) and the
engine hours (the custom item `ENGINE_HOURS`, telemetry's default, 0xE1: table 27 reserves
0xE0 for the custom length): the fuel thief is seen over this transport as over HTTP. The
model keeps no odometer, so no mileage item (0x01) is sent: a zero would be published as the
machines' AEMP `Distance` (decision 116).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence

from tianmen_telemetry.jt808.items import ENGINE_HOURS
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.messages.location import FUEL, Location
from tianmen_telemetry.jt808.simulator import SimulatedTerminal
from tianmen_telemetry.jt808.wire import GMT8, dword, word

from tianmen_devkit.fleet import Reading

log = logging.getLogger(__name__)
AT_ONCE = 200  # terminals logging in or reporting at the same time
ALARM_BITS = {"power_cut": Alarm.POWER_CUT, "antenna_cut": Alarm.GNSS_ANTENNA_CUT}


def location(reading: Reading) -> Location:
    alarm = Alarm(0)
    for name in reading.alarms:
        alarm |= ALARM_BITS[name]
    status = Status.POSITIONED | (Status.ACC_ON if reading.working else Status(0))
    lat, lon = round(reading.latitude * 1e6), round(reading.longitude * 1e6)
    speed = 30 if reading.working else 0  # 3 km/h, in tenths
    litres = reading.fuel_level_pct / 100 * reading.fuel_tank_litres
    items = (
        (FUEL, word(round(litres * 10))),
        (ENGINE_HOURS, dword(round(reading.engine_hours * 10))),
    )
    return Location(alarm, status, lat, lon, 30, speed, 0, reading.at.astimezone(GMT8), items)


class Jt808Reports:
    """A transport for `Simulator`: its own event loop on a thread of its own, so a caller's
    thread may have a loop running (a test after Playwright's, an async app) and still send."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="jt808-fleet", daemon=True
        )
        self._thread.start()
        self.terminals: dict[str, SimulatedTerminal] = {}

    def send(self, readings: Sequence[Reading]) -> int:
        return asyncio.run_coroutine_threadsafe(self._send(readings), self.loop).result()

    def close(self) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._close(), self.loop).result()
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join()
            self.loop.close()

    async def _close(self) -> None:
        closing = [t.close() for t in self.terminals.values()]
        await asyncio.gather(*closing, return_exceptions=True)

    async def _send(self, readings: Sequence[Reading]) -> int:
        gate = asyncio.Semaphore(AT_ONCE)
        sent = await asyncio.gather(*(self._report(r, gate) for r in readings))
        return sum(sent)

    async def _report(self, reading: Reading, gate: asyncio.Semaphore) -> bool:
        async with gate:
            try:
                terminal = await self._logged_in(reading.terminal_id)
                answer = await terminal.report(location(reading))
                return answer.result == 0
            except (OSError, TimeoutError, ConnectionError) as exc:
                log.warning("simulator: terminal %s: %r", reading.terminal_id, exc)
                dropped = self.terminals.pop(reading.terminal_id, None)
                if dropped is not None:
                    await dropped.close()
                return False

    async def _logged_in(self, terminal_id: str) -> SimulatedTerminal:
        terminal = self.terminals.get(terminal_id)
        if terminal is not None:
            return terminal
        terminal = SimulatedTerminal(terminal_id)
        await terminal.connect(self.host, self.port)
        self.terminals[terminal_id] = terminal  # closed on failure from here on
        registered = await terminal.register(f"D{terminal_id[-6:]}")
        if registered.result != 0:
            raise ConnectionError(f"registration refused: {registered.result}")
        answer = await terminal.authenticate(registered.auth_code)
        if answer.result != 0:
            raise ConnectionError(f"authentication refused: {answer.result}")
        return terminal
