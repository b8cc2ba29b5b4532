"""Builds the JT/T 808 server on a telemetry `Service`: its bindings projection, and
`submit_reports` with the Kafka report sink, exactly what `POST /reports` uses; a login reads
the bindings afresh, a report batch through `KeptBindings`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from tianmen_runtime.http import wall_clock
from tianmen_runtime.service import Service

from tianmen_telemetry.adapters import queries
from tianmen_telemetry.jt808.bindings import KeptBindings, registry_mark
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.intake import ProjectedBindings, SubmitReportsIntake
from tianmen_telemetry.jt808.produce import AcknowledgedSink
from tianmen_telemetry.jt808.runner import Jt808Runner
from tianmen_telemetry.jt808.server import Jt808Server
from tianmen_telemetry.service_layer.ports import ReportSink


def build_runner(
    service: Service,
    config: Jt808Config,
    sink: ReportSink | None = None,
    clock: Callable[[], datetime] = wall_clock,
    *,
    reuse_port: bool = False,
) -> Jt808Runner:
    lookup = partial(queries.bindings_for, service.engine)
    sink = sink or AcknowledgedSink(lambda: service.producer, service.source)
    server = Jt808Server(
        config.server_settings(),
        ProjectedBindings(lookup),
        SubmitReportsIntake(KeptBindings(lookup, registry_mark(service.engine)), sink, clock),
    )
    return Jt808Runner(server, config.host, config.port, reuse_port=reuse_port)
