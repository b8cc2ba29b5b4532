"""Pure tests: server.properties, cluster id, ports, paths, CLI argument building."""

from __future__ import annotations

import argparse
import base64
from pathlib import Path

import pytest
from tianmen_devkit import paths
from tianmen_devkit.kafka import LocalKafka
from tianmen_devkit.kafka_cli import consumer_args
from tianmen_devkit.kafka_config import (
    cluster_id_for,
    free_ports,
    render_properties,
    server_properties,
)
from tianmen_devkit.kafka_jars import BROKER_JVM_OPTS, broker_jvm_opts, libs_dir


def test_server_properties_single_node_kraft(tmp_path: Path) -> None:
    props = server_properties(tmp_path, 19092, 19093)
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["controller.quorum.bootstrap.servers"] == "127.0.0.1:19093"
    assert props["controller.listener.names"] == "CONTROLLER"
    assert props["log.dirs"] == str(tmp_path / "data")
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
    ):
        assert props[key] == "1", key
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["auto.create.topics.enable"] == "false"
    assert props["num.partitions"] == "3"
    assert "0.0.0.0" not in render_properties(props)


def test_render_properties_is_key_value_lines() -> None:
    text = render_properties({"a.b": "1", "log.dirs": "C:\\x"})
    assert text == "a.b=1\nlog.dirs=C:\\\\x\n"


def test_cluster_id_is_stable_kafka_uuid(tmp_path: Path) -> None:
    first = cluster_id_for(tmp_path)
    assert first == cluster_id_for(tmp_path)
    assert first != cluster_id_for(tmp_path / "other")
    assert len(first) == 22 and not first.startswith("-")
    assert len(base64.urlsafe_b64decode(first + "==")) == 16


def test_free_ports_are_distinct() -> None:
    ports = free_ports(3)
    assert len(set(ports)) == 3 and all(port > 0 for port in ports)


def test_local_kafka_ports_default_to_free_ones(tmp_path: Path) -> None:
    kafka = LocalKafka(tmp_path, port=12345)
    assert kafka.bootstrap_servers == "127.0.0.1:12345"
    assert kafka.controller_port not in (0, 12345)
    assert LocalKafka(tmp_path).port != 0


def test_write_config_lands_in_data_dir(tmp_path: Path) -> None:
    kafka = LocalKafka(tmp_path / "k", port=1, controller_port=2)
    text = kafka.write_config().read_text()
    assert "listeners=PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2" in text


def test_repo_root_finds_the_workspace(tmp_path: Path) -> None:
    root = paths.repo_root()
    assert (root / "libs" / "devkit").is_dir()
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[tool.uv.workspace]\nmembers = []\n")
    assert paths.repo_root(nested) == tmp_path


def test_cache_dir_default_and_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.CACHE_ENV, raising=False)
    assert libs_dir("9.9.9") == paths.repo_root() / ".cache" / "kafka" / "9.9.9" / "libs"
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path))
    assert libs_dir("9.9.9") == tmp_path / "9.9.9" / "libs"


def test_console_consumer_args_show_headers_and_keys() -> None:
    ns = argparse.Namespace(
        bootstrap_server="h:1",
        topic="t",
        from_beginning=True,
        max_messages=2,
        timeout_ms=None,
        group=None,
    )
    args = consumer_args(ns)
    assert args[:4] == ["--bootstrap-server", "h:1", "--topic", "t"]
    assert "print.headers=true" in args and "print.key=true" in args
    assert args[-3:] == ["--from-beginning", "--max-messages", "2"]


def test_broker_jvm_options_take_the_environments_after_the_defaults() -> None:
    extra = {"TIANMEN_KAFKA_JVM_OPTS": "-XX:TieredStopAtLevel=1  -Dtianmen.note='two words'"}
    opts = broker_jvm_opts(extra)
    assert opts[: len(BROKER_JVM_OPTS)] == BROKER_JVM_OPTS
    assert opts[len(BROKER_JVM_OPTS) :] == ("-XX:TieredStopAtLevel=1", "-Dtianmen.note=two words")
    assert broker_jvm_opts({}) == BROKER_JVM_OPTS


def test_the_tests_brokers_compile_with_c1_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the root conftest sets it for every test process: the command a broker starts with carries it
    launched: list[list[str]] = []

    class Started:
        def __init__(self, cmd: list[str], **_: object) -> None:
            launched.append(cmd)

    broker = LocalKafka(tmp_path)
    monkeypatch.setattr(broker, "format", lambda: False)
    monkeypatch.setattr("tianmen_devkit.kafka.subprocess.Popen", Started)
    broker.start()
    (cmd,) = launched
    assert "-XX:TieredStopAtLevel=1" in cmd[: cmd.index("-cp")]
