"""The built console is served at /console/ with a policy that admits the configured tiles."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tianmen_gateway.bootstrap import build
from tianmen_gateway.entrypoints.api import build_api

from .conftest import SETTINGS

TILES = "https://tiles.example.test/{z}/{x}/{y}.png"


def client_for(tmp_path: Path, **settings: object) -> TestClient:
    update = {"database_url": f"sqlite:///{tmp_path}/gw.db", **settings}
    return TestClient(build_api(build(SETTINGS.model_copy(update=update))))


def test_the_built_console_is_served_with_its_tiles_admitted(tmp_path: Path) -> None:
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text("<!doctype html><title>console</title>")
    (built / "assets" / "app.js").write_text("console.log(1)")
    with client_for(tmp_path, console_dir=built, console_tile_url=TILES) as client:
        page = client.get("/console/")
        script = client.get("/console/assets/app.js")
        config = client.get("/console/config.json").json()
    assert (page.status_code, script.status_code) == (200, 200)
    assert "<title>console</title>" in page.text
    policy = page.headers["content-security-policy"]
    assert "img-src 'self' data: blob: https://tiles.example.test;" in policy
    assert "script-src 'self';" in policy
    assert config == {"tiles": TILES, "gcj02": False, "attribution": ""}


def test_no_console_built_is_a_404_and_the_api_still_works(tmp_path: Path) -> None:
    with client_for(tmp_path, console_dir=tmp_path / "missing") as client:
        assert client.get("/console/").status_code == 404
        assert client.get("/console/config.json").json()["tiles"] is None
        assert client.get("/healthz").status_code == 200
