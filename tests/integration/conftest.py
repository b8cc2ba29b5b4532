"""The integration suite: a real Kafka broker and all six services as real processes.

It runs once per store backend (`TIANMEN_TEST_BACKENDS`, default "sqlite,postgresql"), each with
its own broker so that every run's consumer groups start from offset 0. The broker is chosen by
tianmen_devkit.broker.choose_broker(): KAFKA_BOOTSTRAP_SERVERS if set (a fresh one: the replay
tests compare live state with everything on its topics), testcontainers' Kafka if a Docker
engine answers, else a local KRaft broker.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest
from tianmen_devkit.broker import choose_broker
from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.supervisor import SERVICES, Suite

from tests.integration.helpers import DemoLogin

# Each backend's run needs a broker of its own (its consumer groups start from offset 0), so
# with a given broker (KAFKA_BOOTSTRAP_SERVERS) only one backend runs unless told otherwise.
_DEFAULT_BACKENDS = "sqlite" if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") else "sqlite,postgresql"
BACKENDS = os.environ.get("TIANMEN_TEST_BACKENDS", _DEFAULT_BACKENDS).split(",")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests on the session's suites last, as pytest groups them (one backend after the
    other), and the simulated night last of all, on the last backend's suite: no test runs
    beside an idle suite kept up until the session ends (its broker and six services cost CPU
    on a 2-core machine), and the night's thousands of reports slow no later replay or topic
    read. Order is all that changes: every test still runs."""
    night = [item for item in items if item.path.name == "test_simulated_fleet.py"]
    on_suites = [item for item in items if _backend(item) is not None and item not in night]
    apart = [item for item in items if _backend(item) is None]
    items[:] = apart + on_suites + night


def _backend(item: pytest.Item) -> object:
    callspec = getattr(item, "callspec", None)
    return None if callspec is None else callspec.params.get("backend")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def bootstrap_servers(backend: str) -> Iterator[str]:
    with choose_broker() as servers:
        yield servers


def _database_urls(backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    if backend == "sqlite":
        return {}
    create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
    return {service: create(f"tianmen_{service}") for service in SERVICES}


@contextmanager
def running_suite(
    backend: str,
    bootstrap_servers: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Suite]:
    """All six services on `bootstrap_servers` and the backend's stores, stopped on exit."""
    suite = Suite(
        tmp_path_factory.mktemp(f"var-{backend}"),
        bootstrap_servers,
        dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True)),
        _database_urls(backend, request),
    )
    # The scenarios are dated May 2026; telemetry's acceptance window (7 days by default, tested
    # in its API tests) is widened so that they stay valid whatever today's date is. Ahead of
    # telemetry's clock it is two days (10 minutes by default, tested in its unit tests): the
    # simulated night reports tonight's or tomorrow's night on this suite.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("REPORT_MAX_AGE", "P36500D")
        env.setenv("REPORT_MAX_AHEAD", "P2D")
        # A tip's photo URL is accepted only under the suite's media store: here, where staff
        # fetch an uploaded photo from reports (`GET /staff/media/{media_id}`).
        env.setenv("MEDIA_STORE_URL", f"{suite.url('reports')}/staff/media")
        with suite.running() as running:
            yield running


@pytest.fixture(scope="session")
def suite(
    backend: str,
    bootstrap_servers: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Suite]:
    with running_suite(backend, bootstrap_servers, tmp_path_factory, request) as running:
        yield running


@pytest.fixture
def gateway(suite: Suite) -> Iterator[httpx.Client]:
    url = suite.url("gateway")
    with httpx.Client(base_url=f"{url}/api/v1", timeout=10, auth=DemoLogin(url)) as client:
        yield client
