"""Worker processes die with the process that started them.

A worker started by ``liftrisk serve`` or ``liftrisk batch`` runs `watch_parent` as the
initializer of its process pool: a daemon thread checks twice a second that the parent is
still the process that started it, and ends the worker at once when it is not (the parent
was killed, e.g. by the out-of-memory killer, and the worker was re-parented). Without it,
workers of a killed server would go on computing, write to the database behind the back of
the next server, and then wait for work for ever.
"""

from __future__ import annotations

import os
import threading
import time

CHECK_INTERVAL_S = 0.5
EXIT_CODE = 70  # EX_SOFTWARE


def watch_parent(parent_pid: int, interval_s: float = CHECK_INTERVAL_S) -> None:
    """Start the watch in this (worker) process; `parent_pid` is the starting process.

    Examples
    --------
    >>> watch_parent(os.getppid())  # in a process whose parent is alive: returns at once
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval_s)
        os._exit(EXIT_CODE)  # no clean-up: the job's lock is released by the kernel

    if os.getppid() != parent_pid:
        os._exit(EXIT_CODE)
    threading.Thread(target=watch, name="liftrisk-parent-watch", daemon=True).start()
