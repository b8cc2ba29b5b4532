"""Where evidence media are kept: a port, and the local-disk adapter used by default."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

MEDIA_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class StoredMedia:
    media_id: str
    content_type: str
    data: bytes


class MediaStore(Protocol):
    def put(self, media: StoredMedia) -> None: ...

    def get(self, media_id: str) -> StoredMedia | None: ...


class LocalMediaStore:
    """One file per medium under `root` (named by its content-derived id) and its type beside it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, media: StoredMedia) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._path(media.media_id)
        if path.exists():
            return  # same id = same bytes: storing twice changes nothing
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(media.data)
        path.with_suffix(".json").write_text(json.dumps({"content_type": media.content_type}))
        os.replace(tmp, path)

    def get(self, media_id: str) -> StoredMedia | None:
        if not MEDIA_ID.fullmatch(media_id):
            return None
        path = self._path(media_id)
        if not path.exists():
            return None
        meta = json.loads(path.with_suffix(".json").read_text())
        return StoredMedia(media_id, meta["content_type"], path.read_bytes())

    def _path(self, media_id: str) -> Path:
        return self.root / f"{media_id}.bin"
