"""An API process apart from its worker (as Kubernetes runs them) still says how current its reads
are: the worker stores the lag it measures against the broker, the API reads it from the store."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from tianmen_devkit.kafka_config import free_ports

from tests.integration.helpers import Vouched, env_with, eventually

pytestmark = pytest.mark.integration


def _start(role: str, env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "tianmen_credit", role]
    with log.open("wb") as out:
        return subprocess.Popen(argv, env={**env, "HTTP_PORT": str(port)}, stdout=out, stderr=out)


@pytest.fixture
def credit_env(
    bootstrap_servers: str, backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> dict[str, str]:
    """The credit service's environment on a fresh store of the backend under test."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'credit.db'}"
    else:
        create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
        url = create("tianmen_credit")
    key = tmp_path / "identity.pem"  # the gateway's vouching key: the service verifies with it
    return {**env_with(bootstrap_servers), "DATABASE_URL": url, "IDENTITY_KEY_FILE": str(key)}


def _vouched(env: dict[str, str]) -> Vouched:
    return Vouched(Path(env["IDENTITY_KEY_FILE"]))


@pytest.fixture
def split_credit(credit_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, str, Vouched]]:
    env = credit_env
    api_port, worker_port = free_ports(2)
    api = _start("api", env, api_port, tmp_path / "api.log")
    eventually(lambda: _answers(f"http://127.0.0.1:{api_port}"), timeout=120, what="the api")
    worker = _start("worker", env, worker_port, tmp_path / "worker.log")
    try:
        yield f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{worker_port}", _vouched(env)
    finally:
        for process in (api, worker):
            process.terminate()
            process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_an_api_without_its_worker_reports_the_workers_lag(
    split_credit: tuple[str, str, Vouched],
) -> None:
    api, _, vouched = split_credit

    def measured() -> httpx.Headers | None:
        headers = httpx.get(f"{api}/digest", auth=vouched, timeout=10).headers
        return headers if headers.get("x-consumer-lag") not in (None, "unknown") else None

    headers = eventually(measured, timeout=120, what="the api to read the worker's lag")
    assert int(headers["x-consumer-lag"]) >= 0
    assert headers["x-lag-measured-at"].endswith("+00:00")


def test_an_api_whose_worker_never_measured_says_its_reads_are_of_unknown_age(
    credit_env: dict[str, str], tmp_path: Path
) -> None:
    env = credit_env
    (port,) = free_ports(1)
    api = _start("api", env, port, tmp_path / "api.log")
    try:
        url = f"http://127.0.0.1:{port}"
        eventually(lambda: _answers(url), timeout=120, what="the api")
        answer = httpx.get(f"{url}/digest", auth=_vouched(env), timeout=10)
        assert answer.status_code == 200, answer.text
        assert answer.headers["x-consumer-lag"] == "unknown"
    finally:
        api.terminate()
        api.wait(timeout=30)
