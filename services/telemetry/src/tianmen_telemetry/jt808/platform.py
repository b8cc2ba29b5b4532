"""The platform's answer to each terminal message (§8): one handler per message id."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from tianmen_telemetry.domain.commands import Report
from tianmen_telemetry.domain.ingest import RefusedReports
from tianmen_telemetry.jt808.auth import auth_code, is_valid
from tianmen_telemetry.jt808.convert import to_report
from tianmen_telemetry.jt808.errors import ProtocolError
from tianmen_telemetry.jt808.header import Header
from tianmen_telemetry.jt808.messages.batch import BatchLocation
from tianmen_telemetry.jt808.messages.general import GeneralResponse, Result
from tianmen_telemetry.jt808.messages.ids import MessageId
from tianmen_telemetry.jt808.messages.location import Location
from tianmen_telemetry.jt808.messages.registration import (
    Authentication,
    Registration,
    RegistrationResponse,
    RegistrationResult,
)
from tianmen_telemetry.jt808.metrics import PROTOCOL_ERRORS, TERMINALS_REFUSED, report_outcome
from tianmen_telemetry.jt808.session import Session
from tianmen_telemetry.service_layer.ports import SinkUnavailable

log = logging.getLogger(__name__)
Handler = Callable[[Session, Header, bytes], Awaitable[None]]
OPEN = {MessageId.REGISTRATION, MessageId.AUTHENTICATION}


async def dispatch(session: Session, header: Header, body: bytes) -> None:
    handler = HANDLERS.get(header.message_id)
    if handler is None or header.encryption:
        await session.respond(header, Result.NOT_SUPPORTED)
    elif header.message_id not in OPEN and session.terminal_id != header.terminal_id:
        await session.respond(header, Result.FAILURE)  # not authenticated (as this terminal)
    else:
        try:
            await handler(session, header, body)
        except ProtocolError as error:
            PROTOCOL_ERRORS.labels(type(error).__name__).inc()
            log.warning("jt808 0x%04x body refused: %s", header.message_id, error.reason)
            await session.respond(header, Result.MESSAGE_ERROR)


async def register(session: Session, header: Header, body: bytes) -> None:
    Registration.decode(body, header.is_2019)
    terminal_id = header.terminal_id
    if await _machine_of(session, terminal_id) is not None:
        code = auth_code(session.context.settings.secret, terminal_id)
        answer = RegistrationResponse(header.serial, RegistrationResult.SUCCESS, code)
    else:
        _refused(terminal_id, "unbound")
        answer = RegistrationResponse(header.serial, RegistrationResult.TERMINAL_NOT_IN_DATABASE)
    await session.send(MessageId.REGISTRATION_RESPONSE, answer.encode())


async def authenticate(session: Session, header: Header, body: bytes) -> None:
    code = Authentication.decode(body, header.is_2019).auth_code
    terminal_id = header.terminal_id
    if not is_valid(session.context.settings.secret, terminal_id, code):
        _refused(terminal_id, "wrong_auth_code")
        await session.respond(header, Result.FAILURE)
    elif (machine_id := await _machine_of(session, terminal_id)) is None:
        _refused(terminal_id, "unbound")
        await session.respond(header, Result.FAILURE)
    else:
        session.authenticated(terminal_id)
        await session.respond(header, Result.SUCCESS)
        session.context.logged_in(terminal_id, machine_id)


async def heartbeat(session: Session, header: Header, body: bytes) -> None:
    await session.respond(header, Result.SUCCESS)


async def logout(session: Session, header: Header, body: bytes) -> None:
    session.logged_out()  # until it authenticates again, only login messages are answered
    await session.respond(header, Result.SUCCESS)


async def location(session: Session, header: Header, body: bytes) -> None:
    ids = session.context.settings.items
    await _submit(session, header, [to_report(header.terminal_id, Location.decode(body), ids)])


async def batch_location(session: Session, header: Header, body: bytes) -> None:
    batch = BatchLocation.decode(body)
    ids = session.context.settings.items
    reports = [to_report(header.terminal_id, loc, ids) for loc in batch.locations]
    await _submit(session, header, reports)


async def terminal_response(session: Session, header: Header, body: bytes) -> None:
    session.answered(GeneralResponse.decode(body))  # a response is not answered


async def _submit(session: Session, header: Header, converted: Sequence[Report | None]) -> None:
    reports = [r for r in converted if r is not None]
    if len(reports) < len(converted):
        report_outcome("unpositioned").inc(len(converted) - len(reports))
    try:
        if reports:
            await session.context.intake.submit(reports)
    except RefusedReports as refused:
        report_outcome("refused").inc(len(reports))
        log.warning("jt808 reports of %s refused: %s", header.terminal_id, refused)
        await session.respond(header, Result.FAILURE)
    except SinkUnavailable as error:
        # Not answered: the terminal resends after its timeout; report ids make that harmless.
        report_outcome("unconfirmed").inc(len(reports))
        log.warning("jt808 reports of %s not confirmed: %s", header.terminal_id, error)
    else:
        report_outcome("accepted").inc(len(reports))
        await session.respond(header, Result.SUCCESS)


async def _machine_of(session: Session, terminal_id: str) -> str | None:
    return await asyncio.to_thread(session.context.bindings.machine_of, terminal_id)


def _refused(terminal_id: str, reason: str) -> None:
    TERMINALS_REFUSED.labels(reason).inc()
    log.warning("jt808 terminal %s refused: %s", terminal_id, reason)


HANDLERS: dict[int, Handler] = {
    MessageId.REGISTRATION: register,
    MessageId.AUTHENTICATION: authenticate,
    MessageId.HEARTBEAT: heartbeat,
    MessageId.LOGOUT: logout,
    MessageId.LOCATION: location,
    MessageId.BATCH_LOCATION: batch_location,
    MessageId.TERMINAL_RESPONSE: terminal_response,
}
