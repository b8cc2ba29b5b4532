import socket
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from tianmen_runtime import readiness
from tianmen_runtime.http import create_app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_broker_that_refuses_connections_is_named_as_the_reason() -> None:
    port = _closed_port()
    assert readiness.broker_check(f"127.0.0.1:{port}")() == (
        f"broker unreachable at 127.0.0.1:{port}"
    )


def test_a_listening_broker_address_passes() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert readiness.broker_check(f"127.0.0.1:{listener.getsockname()[1]}")() is None


def test_a_database_that_cannot_be_opened_fails_the_check(tmp_path: Path) -> None:
    missing = create_engine(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}")
    assert readiness.database_check(missing)() == "database unreachable: OperationalError"
    assert readiness.database_check(create_engine("sqlite://"))() is None


def test_watch_follows_its_checks_down_and_back_up() -> None:
    ready, stop = threading.Event(), threading.Event()
    answers = iter(["broker unreachable at 127.0.0.1:9"])
    seen: list[bool] = []

    def check() -> str | None:
        seen.append(ready.is_set())
        if len(seen) == 3:
            stop.set()
        return next(answers, None)

    ready.set()
    readiness.watch(ready, [check], stop, every_s=0.01)
    assert seen == [True, False, True]


def test_readyz_answers_503_with_retry_after_while_not_ready() -> None:
    ready = threading.Event()
    client = TestClient(create_app("t", ready=ready.is_set))
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    ready.set()
    assert client.get("/readyz").status_code == 200
