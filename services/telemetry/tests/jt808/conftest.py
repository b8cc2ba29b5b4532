"""Fixtures of the JT/T 808 socket tests: a fake sink and a store with two bound terminals."""

from __future__ import annotations

import pytest
from tianmen_runtime.service import Service

from ..helpers import FakeSink, apply, bound
from .server_fixtures import OTHER


@pytest.fixture
def sink() -> FakeSink:
    return FakeSink()


@pytest.fixture
def bound_service(service: Service) -> Service:
    apply(service, bound(), "bind-1")
    apply(service, bound(OTHER, "machine-2"), "bind-2")
    return service
