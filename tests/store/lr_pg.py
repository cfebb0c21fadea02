"""A fresh PostgreSQL database per test (shared by the store and web tests)."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest

PG_ENV = "LIFTRISK_TEST_PG_URL"


@contextmanager
def fresh_pg_database():
    """Yield the URL of a new empty database on the server of LIFTRISK_TEST_PG_URL; drop it
    afterwards. Skips the test when the variable is unset or the server refuses."""
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
    try:
        yield u.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
