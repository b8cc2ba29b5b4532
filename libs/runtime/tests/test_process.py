import threading
from pathlib import Path

import pytest
from sqlalchemy import MetaData
from tianmen_runtime import process
from tianmen_runtime.http import create_app
from tianmen_runtime.service import Loop, Service
from tianmen_runtime.settings import ServiceSettings


def _service(tmp_path: Path) -> Service:
    settings = ServiceSettings(database_url=f"sqlite:///{tmp_path / 's.db'}")
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
