"""Bad-input corpus tests: runner doubles and web helpers importable."""

from __future__ import annotations

import sys
from pathlib import Path

for _p in (Path(__file__).resolve().parents[1] / "store", Path(__file__).resolve().parents[1] / "web",
           Path(__file__).resolve().parent):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
