"""Shared test fixtures. Real-data tests read ../shared/data (or $LIFTRISK_SHARED_DATA) and
skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """Folder of the real validation recordings (may not exist)."""
    env = os.environ.get("LIFTRISK_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data; skips the test when it is absent."""
    d = shared_data_dir()
    if not d.is_dir():
        pytest.skip(f"shared validation data not found at {d}")
    return d


def need(path: Path) -> Path:
    """Skip the calling test when a shared-data file is missing."""
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path
