"""Builds the JT/T 808 server on a telemetry `Service`: its bindings projection, and
`submit_reports` with the Kafka report sink, exactly what `POST /reports` uses; a login reads
the bindings afresh, a report batch through `KeptBindings`. And the stop-use texts' two
parts (decision 100): every process's `OrderFeed`, and the one-per-order `UnreachedRule`."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from tianmen_runtime.http import wall_clock
from tianmen_runtime.kafka_io import make_consumer
from tianmen_runtime.service import Service

from tianmen_telemetry.adapters import queries
from tianmen_telemetry.config import Settings
from tianmen_telemetry.domain.ingest import DEFAULT_WINDOW
from tianmen_telemetry.jt808.bindings import KeptBindings, registry_mark, tanks_of
from tianmen_telemetry.jt808.config import Jt808Config
from tianmen_telemetry.jt808.delivery import Deliveries
from tianmen_telemetry.jt808.feed import OrderFeed, feed_consumer
from tianmen_telemetry.jt808.intake import ProjectedBindings, SubmitReportsIntake
from tianmen_telemetry.jt808.pending import PendingTexts
from tianmen_telemetry.jt808.produce import AcknowledgedSink
from tianmen_telemetry.jt808.records import TextRecords
from tianmen_telemetry.jt808.runner import Jt808Runner
from tianmen_telemetry.jt808.server import Jt808Server
from tianmen_telemetry.jt808.unreached import UNREACHED, UnreachedRule, run_unreached
from tianmen_telemetry.service_layer.ports import ReportSink

GRACE_MARGIN = timedelta(seconds=5)  # beyond the text timeout, before an order is unreached


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
    settings = service.settings
    window = settings.acceptance_window() if isinstance(settings, Settings) else DEFAULT_WINDOW
    kept = KeptBindings(lookup, registry_mark(service.engine), tanks_of(service.engine))
    server = Jt808Server(
        config.server_settings(),
        ProjectedBindings(lookup),
        SubmitReportsIntake(kept, sink, clock, window, kept.tanks),
    )
    return Jt808Runner(
        server,
        config.host,
        config.port,
        reuse_port=reuse_port,
        drain_timeout=config.drain_seconds,
    )


def build_feed(service: Service, config: Jt808Config, runner: Jt808Runner, name: str) -> OrderFeed:
    """This process's feed of orders, told of every login on `runner`'s server."""
    deliveries = Deliveries(
        TextRecords(service.engine, service.source),
        partial(runner.send_text, timeout=config.text_timeout + GRACE_MARGIN.total_seconds()),
        runner.server.is_online,
        PendingTexts(timedelta(days=config.pending_days)),
        wall_clock,
    )
    bootstrap = service.settings.kafka_bootstrap_servers
    feed = OrderFeed(deliveries, feed_consumer(bootstrap, _client(name)))
    runner.server.context.logged_in = feed.logged_in
    return feed


def build_unreached(
    service: Service, config: Jt808Config, name: str
) -> Callable[[threading.Event], None]:
    records = TextRecords(service.engine, service.source)
    grace = timedelta(seconds=config.text_timeout) + GRACE_MARGIN
    bootstrap = service.settings.kafka_bootstrap_servers

    def run(stop: threading.Event) -> None:
        make = partial(make_consumer, bootstrap, UNREACHED, _client(name), 50)
        run_unreached(make, UnreachedRule(records, grace, wall_clock, stop), stop)

    return run


def _client(name: str) -> str:
    return f"{name}-{socket.gethostname()}"
