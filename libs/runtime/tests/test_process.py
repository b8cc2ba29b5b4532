import gc
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import MetaData
from tianmen_devkit.kafka_config import free_ports
from tianmen_runtime import process
from tianmen_runtime.http import create_app
from tianmen_runtime.service import Loop, Service
from tianmen_runtime.settings import ServiceSettings


def free_port() -> int:
    return free_ports(1)[0]


def _service(tmp_path: Path) -> Service:
    settings = ServiceSettings(database_url=f"sqlite:///{tmp_path / 's.db'}", http_port=free_port())
    return Service("test", settings, MetaData(), lambda s: create_app("t", ready=s.ready.is_set))


def test_a_dying_background_loop_takes_the_process_and_its_readiness_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(tmp_path)
    seen_ready = threading.Event()

    def dies(stop: threading.Event) -> None:
        if service.ready.wait(5):
            seen_ready.set()
        raise RuntimeError("broker connection lost for good")

    loops: list[Loop] = [dies]
    monkeypatch.setattr(Service, "loops", lambda self, parts: loops)
    with pytest.raises(SystemExit, match="background loop died"):
        process.run(service, ("worker",))
    assert seen_ready.is_set()
    assert not service.ready.is_set()


def test_a_worker_alone_serves_health_readiness_and_metrics_for_probes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(tmp_path)
    probed = threading.Event()

    def works_until_probed(stop: threading.Event) -> None:
        probed.wait(30)
        raise RuntimeError("end of test")

    loops: list[Loop] = [works_until_probed]
    monkeypatch.setattr(Service, "loops", lambda self, parts: loops)
    running = threading.Thread(target=_run_expecting_exit, args=(service,), daemon=True)
    running.start()
    base = f"http://127.0.0.1:{service.settings.http_port}"
    try:
        answers = {path: _get_when_up(f"{base}{path}") for path in ("/healthz", "/readyz")}
        metrics = httpx.get(f"{base}/metrics", timeout=5).text
    finally:
        probed.set()
        running.join(timeout=30)
    assert answers == {"/healthz": 200, "/readyz": 200}
    assert "tianmen_outbox_pending" in metrics


def _run_expecting_exit(service: Service) -> None:
    with pytest.raises(SystemExit):
        process.run(service, ("worker",))


def _get_when_up(url: str) -> int:
    deadline = time.monotonic() + 30
    while True:
        try:
            return httpx.get(url, timeout=2).status_code
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_a_loop_that_loses_the_broker_is_started_again_not_the_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kafka.errors import KafkaConnectionError

    service = _service(tmp_path)
    runs: list[int] = []

    def flaky(stop: threading.Event) -> None:
        runs.append(1)
        if len(runs) == 1:
            raise KafkaConnectionError("111 ECONNREFUSED")
        stop.set()  # the second run ends the process cleanly, as a signal would

    loops: list[Loop] = [flaky]
    monkeypatch.setattr(Service, "loops", lambda self, parts: loops)
    process.run(service, ("worker",))  # no SystemExit: nothing died for good
    assert len(runs) == 2


class _Built:
    """An object the collector tracks (a class instance), made before the loops start."""


def test_what_the_process_built_to_start_is_frozen_while_its_loops_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _Built()
    seen: dict[str, object] = {}

    def looks(stop: threading.Event) -> None:
        seen["frozen"] = gc.get_freeze_count()
        seen["built_tracked"] = gc.is_tracked(built)
        seen["built_in_a_generation"] = any(built is o for o in gc.get_objects())
        raise RuntimeError("done looking")

    monkeypatch.setattr(Service, "loops", lambda self, parts: [looks])
    assert gc.get_freeze_count() == 0
    with pytest.raises(SystemExit):
        process.run(_service(tmp_path), ("worker",))
    # Frozen while running: still tracked, but in no generation a collection walks.
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0
    assert seen["built_tracked"] is True
    assert seen["built_in_a_generation"] is False
    assert gc.get_freeze_count() == 0  # all the collector's again when the process ends


def test_started_frozen_leaves_alone_what_someone_else_froze() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with process.started_frozen():
            assert gc.get_freeze_count() == before
        assert gc.get_freeze_count() == before  # not unfrozen under its owner
    finally:
        gc.unfreeze()
