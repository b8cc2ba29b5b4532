"""The JT/T 808 settings refuse the development secret outside development."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from tianmen_telemetry.jt808.config import Jt808Config


def test_the_development_secret_is_refused_in_production() -> None:
    with pytest.raises(ValueError, match="JT808_SECRET"):
        Jt808Config(environment="production").server_settings()


def test_the_development_secret_serves_local_runs_and_tests() -> None:
    assert Jt808Config(environment="test").server_settings().secret == b"tianmen-dev-only"


def test_a_configured_secret_is_used_in_production() -> None:
    config = Jt808Config(environment="production", secret=SecretStr("s3cret"), idle_timeout=60)
    settings = config.server_settings()
    assert (settings.secret, settings.idle_timeout) == (b"s3cret", 60)


def test_settings_come_from_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("JT808_PORT", "9999")
    monkeypatch.setenv("JT808_SECRET", "from-env")
    config = Jt808Config()
    assert (config.environment, config.port) == ("production", 9999)
    assert config.server_settings().secret == b"from-env"
