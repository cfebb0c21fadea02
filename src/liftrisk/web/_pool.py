"""The worker pool that runs assessments outside the web requests.

`JobPool.submit(assessment_id)` hands the assessment to a `ProcessPoolExecutor` (spawned
processes: no state shared with the server) or, for tests and tiny deployments, a
`ThreadPoolExecutor`. The worker function `liftrisk.batch.queued.execute` records the
outcome itself; if a worker process dies (out of memory, crash in a native library) the
pool is rebuilt and the assessment is marked failed here, so nothing stays 'running'.

Worker processes end when the server process dies (`liftrisk.batch._lifeline`), and
`JobPool.start` reconciles what a killed server left: assessments whose worker is gone are
marked failed, leftover upload and scratch files are removed, queued ones are resubmitted.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing as mp
import os
import threading
from concurrent.futures.process import BrokenProcessPool

from liftrisk.batch._lifeline import CHECK_INTERVAL_S, watch_parent
from liftrisk.batch.queued import execute
from liftrisk.store import AssessmentStore
from liftrisk.web.settings import WebSettings

log = logging.getLogger(__name__)


class JobPool:
    """Runs queued assessments in worker processes (or threads).

    Parameters
    ----------
    settings : WebSettings
        Pool size, executor kind, runner and store location.
    store : AssessmentStore
        Used to mark an assessment failed when its worker dies.
    """

    def __init__(self, settings: WebSettings, store: AssessmentStore):
        self.settings = settings
        self.store = store
        self._lock = threading.Lock()
        self._futures: dict[int, cf.Future] = {}
        self._executor = self._new_executor()

    def _new_executor(self) -> cf.Executor:
        if self.settings.executor == "thread":
            return cf.ThreadPoolExecutor(self.settings.workers, thread_name_prefix="liftrisk-job")
        return cf.ProcessPoolExecutor(self.settings.workers, mp_context=mp.get_context("spawn"),
                                      initializer=watch_parent, initargs=(os.getpid(),))

    def start(self) -> list[int]:
        """Reconcile what a killed server left, then resubmit the queued assessments.

        Workers of a killed server notice within `CHECK_INTERVAL_S` and exit; their
        assessments are then marked failed (never while one is still computing). Returns
        the resubmitted ids.
        """
        queued = self.store.recover_interrupted(wait_s=10 * CHECK_INTERVAL_S)
        for aid in queued:
            self.submit(aid)
        return queued

    def submit(self, assessment_id: int) -> cf.Future:
        """Queue one assessment for a worker."""
        with self._lock:
            executor = self._executor
            try:
                fut = executor.submit(execute, self.settings.store, assessment_id, self.settings.runner)
            except (BrokenProcessPool, RuntimeError):
                log.warning("worker pool was broken; starting a new one")
                executor = self._executor = self._new_executor()
                fut = executor.submit(execute, self.settings.store, assessment_id, self.settings.runner)
            self._futures[assessment_id] = fut
        fut.add_done_callback(lambda f, aid=assessment_id, ex=executor: self._done(aid, f, ex))
        return fut

    def _done(self, assessment_id: int, fut: cf.Future, executor: cf.Executor) -> None:
        with self._lock:
            self._futures.pop(assessment_id, None)
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is None:
            return
        try:
            if isinstance(exc, BrokenProcessPool):
                with self._lock:
                    if self._executor is executor:
                        self._executor = self._new_executor()
                        executor.shutdown(wait=False, cancel_futures=False)
                if self.store.get(assessment_id).status == "queued":
                    # never started: it only shared the pool with the crashed job
                    self.submit(assessment_id)
                    return
                msg = ("internal error: the worker process running this assessment stopped unexpectedly "
                       "(out of memory or a crash in a native library); try a shorter recording")
            else:
                msg = f"internal error ({type(exc).__name__}: {exc})"
            log.error("assessment %s: %s", assessment_id, msg)
            self.store.mark_failed(assessment_id, msg)
        except Exception:  # noqa: BLE001 - the database itself may be gone; nothing else to do
            log.exception("could not record the failure of assessment %s", assessment_id)

    def pending(self) -> int:
        """Assessments submitted and not finished."""
        with self._lock:
            return len(self._futures)

    def shutdown(self, wait: bool = True) -> None:
        """Stop the pool; not-started assessments stay 'queued' and are resubmitted on restart."""
        self._executor.shutdown(wait=wait, cancel_futures=True)
