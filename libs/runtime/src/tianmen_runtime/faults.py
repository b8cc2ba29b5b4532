"""Fault injection for the fault tests; inert unless its environment variable is set.

`TIANMEN_FAULT_RELAY_PAUSE_AFTER_PUBLISH=<file>`: the relay, once the broker acknowledged a
batch and before it marks the rows published, writes `<file>` and stops there, so a test can
SIGKILL a real relay process exactly between publish and mark.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PAUSE_AFTER_PUBLISH = "TIANMEN_FAULT_RELAY_PAUSE_AFTER_PUBLISH"


def after_publish(rows: int) -> None:
    marker = os.environ.get(PAUSE_AFTER_PUBLISH)
    if not marker:
        return
    Path(marker).write_text(f"{rows} rows published, not marked\n", encoding="utf-8")
    threading.Event().wait()  # until the test kills the process
