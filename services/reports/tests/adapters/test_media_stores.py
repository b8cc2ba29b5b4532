"""One contract, run on every MediaStore: the local disk and an S3-compatible server.

The S3 one talks HTTP to moto's standalone S3 server on a loopback port (a local S3-compatible
endpoint, as MinIO would be), through boto3, exactly as in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer
from tianmen_devkit.kafka_config import free_ports
from tianmen_reports.adapters.media_store import LocalMediaStore, MediaStore, StoredMedia
from tianmen_reports.adapters.s3_media_store import S3MediaStore

PHOTO = StoredMedia("0123456789abcdef0123456789abcdef", "image/jpeg", b"\xff\xd8 pixels")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    [port] = free_ports(1)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(params=["local", "s3"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> MediaStore:
    if request.param == "local":
        return LocalMediaStore(tmp_path / "media")
    endpoint: str = request.getfixturevalue("s3_endpoint")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    bucket = f"tips-{tmp_path.name.lower().replace('_', '-')}"[:60]
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return S3MediaStore.connect(endpoint, bucket)


def test_what_is_put_comes_back_with_its_type(store: MediaStore) -> None:
    store.put(PHOTO)
    assert store.get(PHOTO.media_id) == PHOTO


def test_putting_the_same_media_twice_keeps_one(store: MediaStore) -> None:
    store.put(PHOTO)
    store.put(PHOTO)
    assert store.get(PHOTO.media_id) == PHOTO


def test_unknown_or_malformed_ids_are_none(store: MediaStore) -> None:
    assert store.get("f" * 32) is None
    assert store.get("../../etc/passwd") is None
