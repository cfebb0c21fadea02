"""Alembic migrations: upgrade an empty database to head, check the schema equals the
SQLAlchemy models (autogenerate finds no difference), downgrade to empty and back."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from liftrisk.store import current_revision, downgrade, head_revision, make_engine, upgrade
from liftrisk.store.models import Base

HEAD = "0005"  # 0002: assessments.source_key, 0003: assessments.settings, 0004: assessment_lab_files,
#   0005: assessments.lab_options
TABLES = {"jobs", "tasks", "workers", "uploads", "assessments", "results", "assessment_lab_files", "alembic_version"}


def _tables(url):
    from sqlalchemy import inspect

    e = make_engine(url)
    try:
        return set(inspect(e).get_table_names()), current_revision(e)
    finally:
        e.dispose()


def test_upgrade_matches_models_and_downgrades(db_url):
    assert upgrade(db_url) == head_revision() == HEAD
    tables, rev = _tables(db_url)
    assert tables == TABLES and rev == HEAD
    e = make_engine(db_url)
    with e.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    e.dispose()
    assert diff == [], f"migrations and models differ: {diff}"
    downgrade(db_url)
    tables, rev = _tables(db_url)
    assert tables <= {"alembic_version"} and rev is None
    assert upgrade(db_url) == HEAD  # and up again
    assert upgrade(db_url) == HEAD  # idempotent


def test_upgrade_command_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from liftrisk.cli.main import app

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("LIFTRISK_DATABASE_URL", url)
    res = CliRunner().invoke(app, ["db", "upgrade"])
    assert res.exit_code == 0, res.output
    assert HEAD in res.output
    assert _tables(url)[0] == TABLES
    res = CliRunner().invoke(app, ["db", "current"])
    assert res.exit_code == 0 and HEAD in res.output
