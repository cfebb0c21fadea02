"""Fixtures of the web tests: an app on a temporary store, run through TestClient."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

for _p in (Path(__file__).resolve().parents[1] / "store", Path(__file__).resolve().parent,
           Path(__file__).resolve().parents[1] / "bad_inputs"):
    if str(_p) not in sys.path:  # runner doubles (also for spawned workers) and helpers
        sys.path.insert(0, str(_p))

from lr_web_helpers import make_client  # noqa: E402


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as c:
        yield c
