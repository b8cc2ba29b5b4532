"""The jurisdictions' boundaries as GeoJSON: what the consoles' map draws."""

from __future__ import annotations

from fastapi.testclient import TestClient
from shapely.geometry import Point, shape


def test_every_township_is_a_closed_wgs84_polygon_that_holds_its_seat(client: TestClient) -> None:
    response = client.get("/jurisdictions/boundaries")
    assert response.status_code == 200
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    townships = {f["properties"]["name"]: f for f in collection["features"]}
    assert len(townships) >= 20
    for feature in townships.values():
        ring = feature["geometry"]["coordinates"][0]
        assert feature["geometry"]["type"] == "Polygon" and ring[0] == ring[-1]
        assert all(112 < lon < 114 and 30 < lat < 31 for lon, lat in ring)
        assert feature["properties"]["tier"] == "township" and feature["properties"]["parent"]
    jingling = next(f for name, f in townships.items() if name.startswith("竟陵"))
    assert shape(jingling["geometry"]).contains(Point(113.166, 30.653))
