"""A simulated JT/T 808 terminal: registers, authenticates, reports, and answers text messages.

python -m tianmen_telemetry.jt808.simulator --port 8808 --phone 13912345678 --reports 5
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import datetime

from tianmen_telemetry.jt808 import codec
from tianmen_telemetry.jt808.framing import FrameSplitter
from tianmen_telemetry.jt808.header import Header, Package
from tianmen_telemetry.jt808.messages.batch import BLIND_AREA, BatchLocation
from tianmen_telemetry.jt808.messages.flags import Alarm, Status
from tianmen_telemetry.jt808.messages.general import GeneralResponse, Result
from tianmen_telemetry.jt808.messages.ids import MessageId
from tianmen_telemetry.jt808.messages.location import FUEL, MILEAGE, Location
from tianmen_telemetry.jt808.messages.registration import (
    Authentication,
    Registration,
    RegistrationResponse,
)
from tianmen_telemetry.jt808.messages.text import TextMessage
from tianmen_telemetry.jt808.wire import GMT8, dword, word

ANSWERS = {MessageId.PLATFORM_RESPONSE, MessageId.REGISTRATION_RESPONSE}


class SimulatedTerminal:
    def __init__(
        self, phone: str, *, is_2019: bool = True, answer: Result | None = Result.SUCCESS
    ) -> None:
        self.home = phone  # its own number: what the platform's messages must be addressed to
        self.phone = phone  # the number it puts in its headers (a test may forge another)
        self.is_2019 = is_2019
        self.answer = answer  # what to answer a text message with; None: stay silent
        self.texts: list[TextMessage] = []
        self._serial = -1
        self._replies: dict[int, asyncio.Future[bytes]] = {}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._listening: asyncio.Task[None] | None = None

    async def connect(self, host: str, port: int) -> None:
        self._reader, self._writer = await asyncio.open_connection(host, port)
        self._listening = asyncio.create_task(self._listen(self._reader))

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._listening is not None:
            await asyncio.gather(self._listening, return_exceptions=True)

    async def register(self, device_id: str = "D0001") -> RegistrationResponse:
        registration = Registration(42, 600, "TIMEN", "ZJ-808", device_id, 1, "鄂A12345")
        reply = await self.call(MessageId.REGISTRATION, registration.encode(self.is_2019))
        return RegistrationResponse.decode(reply)

    async def authenticate(self, code: str) -> GeneralResponse:
        auth = Authentication(code, "860000000000001", "sim-1.0")
        return await self.general(MessageId.AUTHENTICATION, auth.encode(self.is_2019))

    async def heartbeat(self) -> GeneralResponse:
        return await self.general(MessageId.HEARTBEAT, b"")

    async def report(self, location: Location) -> GeneralResponse:
        return await self.general(MessageId.LOCATION, location.encode())

    async def report_batch(
        self, locations: Sequence[Location], *, package_size: int | None = None
    ) -> GeneralResponse:
        """Upload buffered locations, in packages of `package_size` body bytes if given."""
        body = BatchLocation(BLIND_AREA, tuple(locations)).encode()
        if package_size is None:
            return await self.general(MessageId.BATCH_LOCATION, body)
        parts = [body[i : i + package_size] for i in range(0, len(body), package_size)]
        for index, part in enumerate(parts[:-1], start=1):
            await self.send(MessageId.BATCH_LOCATION, part, Package(len(parts), index))
        last = Package(len(parts), len(parts))
        return await self.general(MessageId.BATCH_LOCATION, parts[-1], last)

    async def general(
        self, message_id: int, body: bytes, package: Package | None = None
    ) -> GeneralResponse:
        return GeneralResponse.decode(await self.call(message_id, body, package))

    async def call(
        self, message_id: int, body: bytes, package: Package | None = None, timeout: float = 5.0
    ) -> bytes:
        """Send a message and wait for the platform's answer to it (its body)."""
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._replies[(self._serial + 1) & 0xFFFF] = future
        await self.send(message_id, body, package)
        return await asyncio.wait_for(future, timeout)

    async def send(self, message_id: int, body: bytes, package: Package | None = None) -> None:
        await self.send_raw(codec.encode(self._header(message_id, package), body))

    async def send_raw(self, data: bytes) -> None:
        assert self._writer is not None, "connect first"
        self._writer.write(data)
        await self._writer.drain()

    def _header(self, message_id: int, package: Package | None) -> Header:
        self._serial = (self._serial + 1) & 0xFFFF
        phone = self.phone.zfill(20 if self.is_2019 else 12)
        version = 1 if self.is_2019 else None
        return Header(message_id, phone, self._serial, version, package=package)

    async def _listen(self, reader: asyncio.StreamReader) -> None:
        splitter = FrameSplitter()
        while data := await reader.read(4096):
            for frame in splitter.feed(data):
                if isinstance(frame, bytes):
                    await self._on(*codec.decode(frame))

    async def _on(self, header: Header, body: bytes) -> None:
        if header.terminal_id != self.home.lstrip("0").zfill(11):
            return  # addressed to another terminal: a real one ignores it too
        if header.message_id in ANSWERS:
            future = self._replies.pop(int.from_bytes(body[:2], "big"), None)
            if future is not None and not future.done():
                future.set_result(body)
        elif header.message_id == MessageId.TEXT_MESSAGE:
            self.texts.append(TextMessage.decode(body, self.is_2019))
            if self.answer is None:
                return
            answer = GeneralResponse(header.serial, header.message_id, self.answer)
            await self.send(MessageId.TERMINAL_RESPONSE, answer.encode())


def location(
    at: datetime, latitude: float, longitude: float, *, working: bool, positioned: bool = True
) -> Location:
    """A location in the northern and eastern hemispheres (like every machine in Tianmen)."""
    status = (Status.ACC_ON if working else Status(0)) | (
        Status.POSITIONED if positioned else Status(0)
    )
    items = ((MILEAGE, dword(12345)), (FUEL, word(500)))
    lat, lon = round(latitude * 1e6), round(longitude * 1e6)
    return Location(Alarm(0), status, lat, lon, 30, 0, 0, at.astimezone(GMT8), items)


async def _run(host: str, port: int, phone: str, reports: int) -> None:
    terminal = SimulatedTerminal(phone)
    await terminal.connect(host, port)
    registered = await terminal.register()
    print(f"registration: result {registered.result}")
    print(f"authentication: result {(await terminal.authenticate(registered.auth_code)).result}")
    for i in range(reports):
        at = datetime.now(GMT8).replace(microsecond=0)
        answer = await terminal.report(location(at, 30.657 + i / 1e4, 113.166, working=True))
        print(f"report {i}: result {answer.result}")
        await asyncio.sleep(1)
    await terminal.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tianmen_telemetry.jt808.simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8808)
    parser.add_argument("--phone", default="13912345678")
    parser.add_argument("--reports", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(_run(args.host, args.port, args.phone, args.reports))


if __name__ == "__main__":
    main()
