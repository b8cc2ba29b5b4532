"""choose_broker: the env var wins; Docker detection answers fast when there is no engine."""

from __future__ import annotations

import time

import pytest
from tianmen_devkit import broker


def test_env_bootstrap_is_used_as_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(broker.BOOTSTRAP_ENV, "example:9092")
    monkeypatch.setattr(broker, "docker_available", lambda: pytest.fail("must not probe"))
    with broker.choose_broker() as bootstrap:
        assert bootstrap == "example:9092"


def test_docker_probe_is_quick_without_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    began = time.monotonic()
    assert broker.docker_available() is False
    assert time.monotonic() - began < 1.0


def test_docker_probe_tcp_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
    assert broker.docker_available(timeout=0.5) is False
