"""The simulator rides out a gateway (or broker) outage and resumes on its own."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.simulator import Simulator


class _Gateway(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self._answer(202 if self.path.endswith("/telemetry/reports") else 201)

    def do_PUT(self) -> None:
        self._answer(200)

    def _answer(self, status: int) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        self.seen.append(self.path)
        login = self.path.endswith("/auth/token")
        body = json.dumps({"access_token": "demo-token"} if login else {}).encode()
        status = 200 if login else status
        self.send_response(status)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    yield free_ports(1)[0]


def test_simulator_keeps_trying_through_an_outage_and_reports_once_the_gateway_is_back(
    port: int,
) -> None:
    simulator = Simulator(f"http://127.0.0.1:{port}", interval=0.05)
    stop = threading.Event()
    thread = threading.Thread(target=simulator.run, args=(stop,))
    thread.start()
    try:
        stop.wait(0.5)  # several rounds against nothing listening
        assert thread.is_alive()
        server = ThreadingHTTPServer(("127.0.0.1", port), _Gateway)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for _ in range(200):
                if "/api/v1/telemetry/reports" in _Gateway.seen:
                    break
                stop.wait(0.05)
        finally:
            server.shutdown()
            server.server_close()
    finally:
        stop.set()
        thread.join(10)
    assert "/api/v1/auth/token" in _Gateway.seen  # it logs in before it registers
    assert "/api/v1/enterprises" in _Gateway.seen
    assert "/api/v1/telemetry/reports" in _Gateway.seen
    assert not thread.is_alive()
