"""A locked store: the command is answered 503 with Retry-After (not a 500, not a 504 from the
gateway), nothing is applied, and the same command succeeds once the lock is gone."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import new_uscc

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
