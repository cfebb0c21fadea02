"""Database engine, sessions and migrations of the assessment store.

SQLite files get write-ahead logging, foreign keys and a busy timeout so that the web
server and its worker processes can write to the same file. Any other SQLAlchemy URL
(PostgreSQL: ``postgresql+psycopg://...``) is used as given. The schema comes from the
Alembic migrations shipped in the package (`upgrade`).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite files get WAL, foreign keys and a 30 s busy timeout.

    Parameters
    ----------
    url : str
        SQLAlchemy database URL.
    **kwargs
        Passed to ``sqlalchemy.create_engine``.

    Returns
    -------
    sqlalchemy.engine.Engine
        The engine.

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> e.dialect.name
    'sqlite'
    """
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        engine = create_engine(u, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            if u.database and u.database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(u, **kwargs)


def alembic_config(url: str | None = None):
    """Alembic `Config` pointing at the packaged migrations (for `upgrade` and tools).

    Parameters
    ----------
    url : str, optional
        Database URL set in the configuration.

    Returns
    -------
    alembic.config.Config
        The configuration.
    """
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    if url:
        cfg.attributes["url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> str:
    """Bring the database at `url` to `revision` (default: the newest); returns the revision.

    Parameters
    ----------
    url : str
        SQLAlchemy database URL.
    revision : str
        Target revision.

    Returns
    -------
    str
        The revision the database is at afterwards.

    Examples
    --------
    >>> import tempfile, os
    >>> upgrade("sqlite:///" + os.path.join(tempfile.mkdtemp(), "t.db"))
    '0005'
    """
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return current_revision(engine) or ""
    finally:
        engine.dispose()


def downgrade(url: str, revision: str = "base") -> None:
    """Take the database at `url` back to `revision` (default: empty).

    Parameters
    ----------
    url : str
        SQLAlchemy database URL.
    revision : str
        Target revision (``"base"`` = empty).
    """
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        Connected database.

    Returns
    -------
    str or None
        The revision id.
    """
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this version of liftrisk.

    Returns
    -------
    str
        The revision id.
    """
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def table_names(engine: Engine) -> list[str]:
    """Tables present in the database (sorted).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        Connected database.

    Returns
    -------
    list of str
        Table names, sorted.
    """
    return sorted(inspect(engine).get_table_names())


__all__ = ["make_engine", "alembic_config", "upgrade", "downgrade", "current_revision", "head_revision", "table_names"]
