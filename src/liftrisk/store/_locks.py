"""Advisory file locks (POSIX ``flock``) that tell a live writer from a dead one.

A lock held through an open file descriptor is released by the kernel when its process
dies, whatever the cause (SIGKILL, out of memory): a lock that can be taken belongs to
nobody. The store uses this for

* uploads being written (``.incoming-*`` files): a file whose lock is free is a leftover of
  a killed process and can be removed;
* running assessments (``locks/job-<id>.lock``): the worker holds the lock from before it
  claims the assessment until its outcome is written, so a ``running`` assessment whose
  lock is free has lost its worker, and a second worker can never run it at the same time.

Where ``fcntl`` is missing (Windows) every lock reads as held: nothing is removed or
reconciled automatically there.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


def try_lock(path) -> int | None:
    """Take the exclusive lock of `path` (created if missing) without waiting.

    Returns
    -------
    int or None
        The open file descriptor holding the lock (close it with `release`), or None when
        another process (or another descriptor of this one) holds it.
    """
    if fcntl is None:  # pragma: no cover
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def lock_fd(fd: int) -> None:
    """Take the exclusive lock of an open file (waits; the file is new, so nobody holds it)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)


def release(fd: int | None, unlink: Path | None = None) -> None:
    """Remove `unlink` (while still holding the lock) and release the lock."""
    if fd is None:
        return
    try:
        if unlink is not None:
            Path(unlink).unlink(missing_ok=True)
    finally:
        os.close(fd)


def remove_if_abandoned(path) -> bool:
    """Remove `path` if no live process holds its lock; True when it was removed."""
    fd = try_lock(path)
    if fd is None:
        return False
    release(fd, unlink=Path(path))
    return True
