"""A locked or stopped store: the command is answered 503 with Retry-After (not a 500, not a
504 from the gateway), nothing is applied, readiness says so, and the same command succeeds
once the store is back."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.postgres import temporary_postgres
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import Vouched, env_with, eventually, new_uscc

pytestmark = pytest.mark.integration


@contextmanager
def _locked(database_url: str) -> Iterator[None]:
    """Hold the store's write lock (SQLite) or an exclusive lock on its event table."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(str(url.database), isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = create_engine(database_url)
    try:
        with engine.begin() as locked:
            locked.execute(text("LOCK TABLE events IN ACCESS EXCLUSIVE MODE"))
            yield
    finally:
        engine.dispose()


def test_a_locked_store_answers_503_writes_nothing_and_recovers(
    gateway: httpx.Client, suite: Suite
) -> None:
    enterprise = {"uscc": new_uscc(), "name": "天门锁库测试有限公司"}
    with _locked(suite.database_url("registry")):
        refused = gateway.post("/enterprises", json=enterprise)
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "5"
    body = refused.json()
    assert body["service"] == "registry" and "nothing was applied" in body["detail"]

    accepted = gateway.post("/enterprises", json=enterprise)
    assert accepted.status_code == 201, accepted.text
    enterprise_id = accepted.json()["enterprise_id"]
    assert gateway.get(f"/enterprises/{enterprise_id}").status_code == 200


IDENTITY_KEY_FILE = Path(tempfile.mkdtemp(prefix="tianmen-identity-")) / "identity.pem"
VOUCHED = Vouched(IDENTITY_KEY_FILE)  # as the gateway would sign its callers (it is not running)


@contextmanager
def _registry_on(database_url: str, bootstrap_servers: str) -> Iterator[str]:
    """The registry alone, as `make run` starts it, on a store of the test's own."""
    port = free_ports(1)[0]
    env = {**env_with(bootstrap_servers), "DATABASE_URL": database_url, "HTTP_PORT": str(port)}
    env["IDENTITY_KEY_FILE"] = str(IDENTITY_KEY_FILE)
    process = subprocess.Popen(
        [sys.executable, "-m", "tianmen_registry", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def _readyz(base: str) -> int:
    try:
        return httpx.get(f"{base}/readyz", timeout=5).status_code
    except httpx.TransportError:
        return 0


@pytest.mark.faults_full  # a PostgreSQL server of its own, stopped and started again
def test_a_stopped_postgresql_turns_readiness_off_answers_503_and_recovers(
    bootstrap_servers: str,
) -> None:
    with (
        temporary_postgres() as server,
        _registry_on(
            server.create_database("tianmen_registry_stopped"), bootstrap_servers
        ) as registry,
    ):
        eventually(lambda: _readyz(registry) == 200, timeout=60, what="registry ready")
        enterprise = {"uscc": new_uscc(), "name": "天门停库测试有限公司"}
        server.stop()
        eventually(lambda: _readyz(registry) == 503, timeout=15, what="registry unready")
        started = time.monotonic()
        refused = httpx.post(f"{registry}/enterprises", json=enterprise, timeout=30, auth=VOUCHED)
        answered_in = time.monotonic() - started
        assert refused.status_code == 503, refused.text
        assert answered_in < 10  # before the gateway's own timeout would answer 504
        assert refused.headers["retry-after"] == "5"

        server.start()
        eventually(lambda: _readyz(registry) == 200, timeout=60, what="registry ready again")
        accepted = httpx.post(f"{registry}/enterprises", json=enterprise, timeout=30, auth=VOUCHED)
        assert accepted.status_code == 201, accepted.text
