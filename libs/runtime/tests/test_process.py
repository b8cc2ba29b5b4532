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
