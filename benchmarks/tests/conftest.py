"""The benchmarks import each other as scripts do (`from replay_log import ...`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
