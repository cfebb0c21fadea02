"""Content-addressed storage of uploaded recordings.

A recording is stored once, at ``<uploads>/<h[:2]>/<h>.<suffix>`` where ``h`` is the
SHA-256 of its bytes. A file is written to a temporary name in the same folder and then
hard-linked to its final name: the link either creates the final name atomically or fails
because it exists, so a stored file is never overwritten, never half-written, and two
concurrent uploads of the same recording end up sharing one intact file. Stored files are
made read-only.

While it is being written, the temporary ``.incoming-*`` file is locked (`liftrisk.store._locks`);
`sweep_incoming` removes the ones left by a killed process (their lock is free) and never
touches one that a live upload is writing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from liftrisk.errors import InputFileError
from liftrisk.store._locks import lock_fd, remove_if_abandoned

CHUNK_BYTES = 1 << 20
INCOMING_PREFIX = ".incoming-"


@dataclass(frozen=True)
class StoredBlob:
    """A stored recording: its SHA-256, size in bytes and path.

    Attributes
    ----------
    sha256 : str
        Hex digest of the content.
    size_bytes : int
        Size (bytes).
    path : pathlib.Path
        Where it is stored.
    """

    sha256: str
    size_bytes: int
    path: Path


class UploadTooLarge(InputFileError):
    """An upload is bigger than the configured limit."""


def sha256_file(path) -> str:
    """SHA-256 (hex) of a file's bytes.

    Parameters
    ----------
    path : str or os.PathLike
        File.

    Returns
    -------
    str
        Hex digest.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"; _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK_BYTES), b""):
            h.update(chunk)
    return h.hexdigest()


def blob_path(root, sha256: str, suffix: str) -> Path:
    """Path of the stored file of a given hash and suffix (e.g. '.mp4').

    Parameters
    ----------
    root : str or os.PathLike
        Upload folder.
    sha256 : str
        Hex digest of the content.
    suffix : str
        File suffix, e.g. ``".mp4"``.

    Returns
    -------
    pathlib.Path
        The path (the file need not exist).
    """
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return Path(root) / sha256[:2] / f"{sha256}{suffix.lower()}"


def put_chunks(root, chunks: Iterable[bytes], suffix: str, name: str = "upload",
               max_bytes: int | None = None, validate: Callable[[Path], None] | None = None) -> StoredBlob:
    """Store a stream of bytes under its SHA-256; returns the stored blob.

    Parameters
    ----------
    root : path
        Upload folder.
    chunks : iterable of bytes
        The content.
    suffix : str
        File suffix kept on the stored name (readers dispatch on it), e.g. '.c3d'.
    name : str
        The user's file name, for messages.
    max_bytes : int, optional
        Refuse (and store nothing) when the content is bigger.
    validate : callable(path), optional
        Called on the complete temporary file before it is stored; an exception it raises
        leaves nothing stored (e.g. a video that cannot be decoded).

    Returns
    -------
    StoredBlob
        Hash, size (bytes) and path of the stored file.

    Examples
    --------
    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> a = put_chunks(root, [b"hello ", b"world"], ".csv")
    >>> b = put_chunks(root, [b"hello world"], ".csv")
    >>> a.path == b.path, a.size_bytes
    (True, 11)
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    fd, tmp = _locked_temp(root, suffix)
    held = os.dup(fd)  # same open file: the lock stays held until the temporary file is gone
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise UploadTooLarge(name, f"the upload is larger than the limit of {max_bytes} bytes",
                                         fix="send a shorter recording or raise LIFTRISK_MAX_UPLOAD_MB")
                h.update(chunk)
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        if validate is not None:
            validate(Path(tmp))
        digest = h.hexdigest()
        final = blob_path(root, digest, suffix)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(tmp, final)  # atomic; fails if the name exists: never overwrites
            os.chmod(final, 0o444)
        except FileExistsError:
            if final.stat().st_size != size:
                raise InputFileError(name, f"a different file is already stored as {final.name}; "
                                     "the upload folder may be damaged", fix="check the disk") from None
        return StoredBlob(digest, size, final)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        os.close(held)


def _locked_temp(root: Path, suffix: str) -> tuple[int, str]:
    """A new ``.incoming-*`` file in `root`, locked by this process."""
    while True:
        fd, tmp = tempfile.mkstemp(prefix=INCOMING_PREFIX, suffix=suffix.lower(), dir=root)
        lock_fd(fd)
        if os.fstat(fd).st_nlink > 0:  # not removed by a sweep between its creation and the lock
            return fd, tmp
        os.close(fd)


def sweep_incoming(root) -> list[Path]:
    """Remove the ``.incoming-*`` files of uploads whose writer died; returns them.

    Parameters
    ----------
    root : str or os.PathLike
        Upload folder.

    Returns
    -------
    list of pathlib.Path
        The files removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / ".incoming-abc.mp4").write_bytes(b"half a video")  # no process holds it
    >>> [p.name for p in sweep_incoming(root)], list(root.iterdir())
    (['.incoming-abc.mp4'], [])
    """
    root = Path(root)
    if not root.is_dir():
        return []
    return [p for p in sorted(root.glob(INCOMING_PREFIX + "*")) if p.is_file() and remove_if_abandoned(p)]


def put_file(root, src, suffix: str | None = None, max_bytes: int | None = None) -> StoredBlob:
    """Store a copy of a file under its SHA-256 (the source is left untouched).

    Parameters
    ----------
    root : str or os.PathLike
        Upload folder.
    src : str or os.PathLike
        File to copy.
    suffix : str, optional
        Stored suffix (default: that of `src`).
    max_bytes : int, optional
        Refuse larger files (bytes).

    Returns
    -------
    StoredBlob
        Hash, size (bytes) and path of the stored copy.
    """
    src = Path(src)
    with open(src, "rb") as f:
        return put_chunks(root, iter(lambda: f.read(CHUNK_BYTES), b""), suffix or src.suffix,
                          name=src.name, max_bytes=max_bytes)


__all__ = ["StoredBlob", "UploadTooLarge", "sha256_file", "blob_path", "put_chunks", "put_file", "sweep_incoming"]
