"""Alembic environment of the liftrisk assessment database (online mode only).

The connection (or URL) is handed over by `liftrisk.store.db.upgrade` through
``config.attributes``; batch mode is used so that SQLite can alter tables.
"""

from alembic import context
from sqlalchemy import create_engine, pool

from liftrisk.store.models import Base

target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def main(config) -> None:
    """Run the migrations on the connection (or URL) given by the caller."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


# `context.config` exists only while Alembic runs this file (not when pytest imports it)
if hasattr(context, "config"):
    main(context.config)
