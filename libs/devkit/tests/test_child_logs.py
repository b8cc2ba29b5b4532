import io
import stat
from pathlib import Path

from tianmen_devkit.child_logs import ChildLog


def test_child_output_is_rotated_by_size_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "log" / "reports.log"
    child_log = ChildLog(path, max_bytes=1000, backups=2)
    lines = b"".join(b"reporter 13900001111 line %04d\n" % n for n in range(200))
    child_log.follow(io.BytesIO(lines)).join(5)
    child_log.close()
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["reports.log", "reports.log.1", "reports.log.2"]
    assert all(p.stat().st_size <= 1000 for p in path.parent.iterdir())
    assert path.read_text().splitlines()[-1] == "reporter 13900001111 line 0199"
    for file in path.parent.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
