"""Keep the pose detector's native (C++) log lines off the user's terminal.

MediaPipe's C++ graph writes absl/glog lines straight to file descriptor 2 from its own
threads ("Created TensorFlow Lite XNNPACK delegate", "Feedback manager requires a model with
a single signature inference", "Using NORM_RECT without IMAGE_DIMENSIONS ..."); Python's
logging settings cannot reach them. `filtered_native_stderr` points descriptor 2 at a pipe
for the duration of a detection run and forwards everything except lines that match those
native log formats to the original stderr, so Python warnings, errors and progress output
still reach the user. With ``LIFTRISK_VERBOSE=1`` (the CLI's ``--verbose``) nothing is
filtered.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterator

# absl / glog line prefixes: "W0000 00:00:1796487959.636161   13740 file.cc:114] ...",
# "I20261205 16:20:01.123456 1234 file.cc:12] ...", TensorFlow Lite's "INFO: Created ..." and
# absl's note that logging was not initialised.
_NATIVE_LINE = re.compile(
    rb"^(?:[IWEF]\d{4,8}\s+\d\d:\d\d:\d\d[.\d]*\s+\d+\s+\S+:\d+\]"
    rb"|INFO: Created TensorFlow Lite"
    rb"|WARNING: All log messages before absl::InitializeLog\(\) is called)"
)


def is_native_log_line(line: bytes) -> bool:
    """True when ``line`` is one of the native absl/glog/TFLite log lines filtered out.

    Parameters
    ----------
    line : bytes
        One line of stderr output, with or without its line end.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_native_log_line(b"W0000 00:00:1796487959.636161   13740 inference_feedback_manager.cc:114] x")
    True
    >>> is_native_log_line(b"error: walk.trc: no hips")
    False
    """
    return bool(_NATIVE_LINE.match(line.lstrip(b"\r")))


def verbose_requested() -> bool:
    """True when the user asked for native log output (environment ``LIFTRISK_VERBOSE=1``).

    Returns
    -------
    bool
    """
    return os.environ.get("LIFTRISK_VERBOSE", "").strip().lower() in {"1", "true", "yes", "on"}


_NATIVE_START = re.compile(rb"^(?:[IWEF]\d|INFO|WARNING)")


def _forward(read_fd: int, write_fd: int) -> None:
    """Copy chunks from ``read_fd`` to ``write_fd``, dropping native log lines.

    An unterminated tail that may be the start of a native line (TFLite writes "INFO: " and
    the rest of its line in two writes) waits for its line end; any other output without a
    line end (progress bars) is passed straight on.
    """
    pending = b""
    while True:
        try:
            chunk = os.read(read_fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        lines = (pending + chunk).splitlines(keepends=True)
        pending = b""
        if lines and not lines[-1].endswith((b"\n", b"\r")) and _NATIVE_START.match(lines[-1]) \
                and len(lines[-1]) < 4096:
            pending = lines.pop()
        kept = [ln for ln in lines if not is_native_log_line(ln)]
        if kept:
            os.write(write_fd, b"".join(kept))
    if pending and not is_native_log_line(pending):
        os.write(write_fd, pending)


@contextlib.contextmanager
def filtered_native_stderr() -> Iterator[None]:
    """Filter native absl/glog/TFLite lines out of file descriptor 2 while the block runs.

    Everything else written to stderr (Python warnings, tracebacks, progress) is forwarded
    unchanged. Does nothing when ``LIFTRISK_VERBOSE=1`` or when stderr has no descriptor.

    Yields
    ------
    None

    Examples
    --------
    >>> with filtered_native_stderr():
    ...     pass
    """
    if verbose_requested():
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real stderr (embedded interpreters)
        yield
        return
    read_fd, write_fd = os.pipe()
    thread = threading.Thread(target=_forward, args=(read_fd, saved), daemon=True, name="liftrisk-stderr-filter")
    thread.start()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(saved, 2)  # closes the pipe's last write end: the forwarder drains and stops
        thread.join(timeout=5.0)
        os.close(read_fd)
        os.close(saved)
