"""Fixtures of the store tests: a fresh store on temporary SQLite, and on PostgreSQL when
LIFTRISK_TEST_PG_URL is set (a fresh database per test)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # runner doubles, importable by spawned worker processes too
    sys.path.insert(0, str(HERE))


@pytest.fixture
def pg_url():
    """URL of a fresh, empty PostgreSQL database (dropped afterwards); skips without a server."""
    from lr_pg import fresh_pg_database

    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh database URL: SQLite file in tmp_path, or PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lr.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url, tmp_path):
    """An AssessmentStore on a migrated fresh database with uploads in tmp_path."""
    from liftrisk.store import AssessmentStore, StoreSettings

    st = AssessmentStore(StoreSettings(data_dir=tmp_path / "data", database_url=db_url))
    yield st
    st.close()
