"""Fixtures of the store tests: a fresh store on temporary SQLite, and on PostgreSQL when
LIFTRISK_TEST_PG_URL is set (a fresh database per test)."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # runner doubles, importable by spawned worker processes too
    sys.path.insert(0, str(HERE))

PG_ENV = "LIFTRISK_TEST_PG_URL"


@pytest.fixture
def pg_url():
    """URL of a fresh, empty PostgreSQL database (dropped afterwards); skips without a server."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set (no PostgreSQL server; .ci/services.sh starts one)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    u = make_url(base)
    name = f"lr_{uuid.uuid4().hex[:12]}"
    admin = create_engine(u, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        pytest.skip(f"cannot create a test database on {u.host}: {exc}")
    yield u.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


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
