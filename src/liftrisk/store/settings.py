"""Where the assessment database and the uploaded recordings live.

One frozen settings object (`StoreSettings`), loaded once from the environment:

- ``LIFTRISK_DATA_DIR``: data folder (default ``$XDG_DATA_HOME/liftrisk`` or
  ``~/.local/share/liftrisk``); uploads go to ``<data dir>/uploads``.
- ``LIFTRISK_DATABASE_URL``: any SQLAlchemy URL (default: SQLite file
  ``<data dir>/liftrisk.db``), e.g. ``postgresql+psycopg://user:pw@host/db``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def default_data_dir() -> Path:
    """The user's liftrisk data folder (XDG base-directory rules on every OS).

    Returns
    -------
    pathlib.Path
        The folder (not created).

    Examples
    --------
    >>> default_data_dir().name
    'liftrisk'
    """
    env = os.environ.get("LIFTRISK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "liftrisk"


def sqlite_url(path: Path) -> str:
    """SQLAlchemy URL of an SQLite file.

    Parameters
    ----------
    path : pathlib.Path
        SQLite database file.

    Returns
    -------
    str
        ``sqlite:///<absolute path>``.

    Examples
    --------
    >>> sqlite_url(Path("/tmp/a.db"))
    'sqlite:////tmp/a.db'
    """
    return f"sqlite:///{Path(path).resolve()}"


@dataclass(frozen=True)
class StoreSettings:
    """Database URL and data folder of one assessment store.

    Parameters
    ----------
    data_dir : Path
        Folder holding uploads (content-addressed) and, by default, the SQLite database.
    database_url : str
        SQLAlchemy URL of the assessment database.

    Examples
    --------
    >>> s = StoreSettings.from_env({"LIFTRISK_DATA_DIR": "/tmp/lr"})
    >>> s.database_url, str(s.uploads_dir)
    ('sqlite:////tmp/lr/liftrisk.db', '/tmp/lr/uploads')
    """

    data_dir: Path
    database_url: str

    @property
    def uploads_dir(self) -> Path:
        """Folder of uploaded recordings, stored under their SHA-256."""
        return self.data_dir / "uploads"

    @property
    def media_dir(self) -> Path:
        """Folder of each assessment's media for the web page (``<id>/overlay.webm``, ``<id>/stick3d.json``)."""
        return self.data_dir / "media"

    @property
    def work_dir(self) -> Path:
        """Folder of job locks (``job-<id>.lock``) and job scratch folders (``job-<id>-*``)."""
        return self.data_dir / "work"

    @classmethod
    def from_env(cls, environ=None) -> StoreSettings:
        """Settings from ``LIFTRISK_DATA_DIR`` / ``LIFTRISK_DATABASE_URL`` (or defaults)."""
        env = os.environ if environ is None else environ
        d = env.get("LIFTRISK_DATA_DIR")
        data_dir = Path(d).expanduser() if d else default_data_dir()
        data_dir = data_dir if data_dir.is_absolute() else data_dir.resolve()
        url = env.get("LIFTRISK_DATABASE_URL") or sqlite_url(data_dir / "liftrisk.db")
        return cls(data_dir=data_dir, database_url=url)

    @classmethod
    def at(cls, data_dir, database_url: str | None = None) -> StoreSettings:
        """Settings for an explicit folder (database defaults to SQLite inside it)."""
        d = Path(data_dir).expanduser().resolve()
        return cls(data_dir=d, database_url=database_url or sqlite_url(d / "liftrisk.db"))


__all__ = ["StoreSettings", "default_data_dir", "sqlite_url"]
