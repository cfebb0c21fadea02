"""A small on-disk cache of computed results (JSON, one file per key) in the user's cache folder.

Used for results that are expensive to compute and fully determined by their inputs, e.g. the
normalisation anchors of the 3D lifting prediction (`liftrisk.predict.predict_max_weight_3d`,
keyed by a SHA-256 of everything that determines them). The folder is the platform's user cache
folder (``~/.cache/liftrisk`` on Linux, via platformdirs), or ``$LIFTRISK_CACHE_DIR`` when set.
Entries are plain JSON (never unpickled); a file that cannot be read is reported and ignored,
so the caller computes the result again and replaces it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from liftrisk.io._common import atomic_write_text

__all__ = ["cache_entry_path", "default_cache_dir", "read_cache_entry", "write_cache_entry"]

#: Environment variable that moves the cache folder.
CACHE_DIR_ENV = "LIFTRISK_CACHE_DIR"
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_KEY = re.compile(r"^[0-9a-f]{16,128}$")


def default_cache_dir() -> Path:
    """The user's cache folder for liftrisk: ``$LIFTRISK_CACHE_DIR`` when set, else the
    platform's user cache folder (platformdirs: ``~/.cache/liftrisk`` on Linux,
    ``~/Library/Caches/liftrisk`` on macOS, ``%LOCALAPPDATA%/liftrisk/Cache`` on Windows).

    Returns
    -------
    pathlib.Path
        The folder (not created here).

    Examples
    --------
    >>> default_cache_dir().name in ("liftrisk", "Cache") or "LIFTRISK_CACHE_DIR" in os.environ
    True
    """
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("liftrisk", appauthor=False)


def cache_entry_path(folder: str | os.PathLike, kind: str, key: str) -> Path:
    """Path of the entry ``key`` of kind ``kind`` (a sub-folder) under ``folder``.

    Parameters
    ----------
    folder : path
        The cache folder (e.g. :func:`default_cache_dir`).
    kind : str
        What the entries hold (letters, digits, ``_`` and ``-``), e.g. ``"predict3d_anchors"``.
    key : str
        Lower-case hexadecimal hash of the inputs (16-128 characters).

    Returns
    -------
    pathlib.Path
        ``folder/kind/key.json``.

    Examples
    --------
    >>> cache_entry_path("/tmp/c", "predict3d_anchors", "ab" * 32).name == "ab" * 32 + ".json"
    True
    """
    if not _NAME.match(kind):
        raise ValueError(f"cache kind {kind!r}: expected letters, digits, '_' or '-' (1-64 characters)")
    if not _KEY.match(key):
        raise ValueError(f"cache key {key!r}: expected a lower-case hexadecimal hash (16-128 characters)")
    return Path(folder) / kind / f"{key}.json"


def read_cache_entry(folder: str | os.PathLike, kind: str, key: str) -> tuple[dict | None, str]:
    """The stored entry, or None with the reason (missing, unreadable, not JSON, another key).

    Parameters
    ----------
    folder, kind, key :
        As :func:`cache_entry_path`.

    Returns
    -------
    (dict or None, str)
        The entry's payload and ``""``; or None and why there is none.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> read_cache_entry(d, "demo", "0" * 16)[0] is None
    True
    >>> _ = write_cache_entry(d, "demo", "0" * 16, {"value": 1.5})
    >>> read_cache_entry(d, "demo", "0" * 16)
    ({'value': 1.5}, '')
    """
    path = cache_entry_path(folder, kind, key)
    if not path.is_file():
        return None, "no entry"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        return None, f"{path} could not be read ({type(err).__name__}: {err})"
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("payload"), dict):
        return None, f"{path} does not hold an entry for key {key[:12]}..."
    return entry["payload"], ""


def write_cache_entry(folder: str | os.PathLike, kind: str, key: str, payload: dict) -> Path:
    """Store ``payload`` (JSON-serialisable: numbers, strings, lists, dicts) under ``key``,
    replacing an older entry; the folders are created when missing. Written to a temporary
    file first and moved in place, so a reader never sees half an entry.

    Parameters
    ----------
    folder, kind, key :
        As :func:`cache_entry_path`.
    payload : dict
        The result to store.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    path = cache_entry_path(folder, kind, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps({"key": key, "payload": payload}, allow_nan=False))
    return path
