"""A throwaway PostgreSQL server from the machine's Debian packages, for tests.

`initdb` into a private folder, `pg_ctl start` on 127.0.0.1 and a free port, trust auth;
run as the `postgres` user when we are root (PostgreSQL refuses to run as root). Durability
settings are off: this server holds test data only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from tianmen_devkit.kafka_config import free_ports

TEST_ONLY_SETTINGS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here (Debian package `postgresql`)."""


def bin_dir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not candidates:
        raise PostgresUnavailable("PostgreSQL not installed: apt-get install -y postgresql")
    return candidates[0].parent


class LocalPostgres:
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_ports(1)[0]
        self.bin = bin_dir()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed:\n{result.stdout}{result.stderr}")

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data_dir, "postgres", "postgres")
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            )
        options = (
            f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1 {TEST_ONLY_SETTINGS}"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.data_dir / "server.log"),
            "start",
        )

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def __enter__(self) -> LocalPostgres:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextmanager
def temporary_postgres() -> Iterator[LocalPostgres]:
    """A server in a fresh temporary folder, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tianmen-pg-"))
    folder.chmod(0o755)
    try:
        with LocalPostgres(folder / "data") as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)
