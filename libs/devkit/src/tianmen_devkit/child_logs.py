"""A child process's output into a size-rotated log file that only its owner can read.

The supervisor reads each child's stdout/stderr through a pipe and writes it with a
`RotatingFileHandler` (10 MB × 3 kept by default): one writer per file, so rotation is safe.
Logs may hold personal data (a reporter's request), hence mode 0600 in a 0700 folder.
"""

from __future__ import annotations

import logging
import os
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 3


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


class ChildLog:
    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        private_dir(path.parent)
        self.path = path
        self.handler = _PrivateRotatingHandler(path, maxBytes=max_bytes, backupCount=backups)
        self.handler.setFormatter(logging.Formatter("%(message)s"))
        self.logger = logging.Logger(f"child:{path.name}")
        self.logger.addHandler(self.handler)

    def follow(self, pipe: IO[bytes]) -> threading.Thread:
        """Copy `pipe` line by line until the child closes it."""
        thread = threading.Thread(target=self._copy, args=(pipe,), daemon=True)
        thread.start()
        return thread

    def write(self, line: str) -> None:
        self.logger.info(line)

    def _copy(self, pipe: IO[bytes]) -> None:
        with pipe:
            for raw in iter(pipe.readline, b""):
                self.write(raw.decode(errors="replace").rstrip("\n"))

    def close(self) -> None:
        self.handler.close()


class _PrivateRotatingHandler(RotatingFileHandler):
    def _open(self):  # type: ignore[no-untyped-def]
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream
