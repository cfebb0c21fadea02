"""Batch tests: runner doubles from tests/store are importable here and in worker processes."""

from __future__ import annotations

import sys
from pathlib import Path

_p = Path(__file__).resolve().parents[1] / "store"
if str(_p) not in sys.path:
    sys.path.insert(0, str(_p))
