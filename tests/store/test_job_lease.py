"""One assessment never runs twice at the same time, and a restart never marks failed an
assessment that a live worker is still computing (before: a new server marked the jobs of
orphaned workers failed while they computed them; they then wrote to the database anyway).
Leftovers of killed processes are removed, never the files of live ones."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading

from liftrisk.batch.queued import execute
from liftrisk.core import Subject
from liftrisk.store import blobs

CSV = b"time_s,value\n0,1\n0.01,2\n"


def _queued(store) -> int:
    up = store.add_upload([CSV], ".csv", kind="motion")
    return store.create_assessment(up.sha256, "a.csv", Subject("male", 80, 1.8))


def test_second_worker_skips_a_job_being_run(store):
    aid = _queued(store)
    with store.job_lease(aid) as mine:  # as if another worker holds it
        assert mine
        assert execute(store.settings, aid, "lr_test_runners:table_runner") == "skipped"
        assert store.get(aid).status == "queued"
    assert execute(store.settings, aid, "lr_test_runners:table_runner") == "done"


def test_two_workers_at_once_run_it_once(store):
    aid = _queued(store)
    results = []
    threads = [threading.Thread(target=lambda: results.append(execute(store.settings, aid,
                                                                       "lr_test_runners:slow_runner")))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["done", "skipped", "skipped"]


def test_restart_keeps_a_job_whose_worker_is_alive(store):
    running = _queued(store)
    orphaned = _queued(store)
    for aid in (running, orphaned):
        store.claim(aid)
    with store.job_lease(running):  # a live worker (e.g. of a server being replaced) holds it
        assert store.recover_interrupted(wait_s=0.3) == []
        assert store.get(running).status == "running"
        assert store.get(orphaned).status == "failed" and "interrupted" in store.get(orphaned).error
    store.recover_interrupted()  # the worker is gone now
    assert store.get(running).status == "failed"


def _hold_incoming(root, ready):
    def chunks():
        yield b"half of a recording"
        ready.set()
        threading.Event().wait()  # never finishes: killed here

    blobs.put_chunks(root, chunks(), ".csv")


def test_sweep_removes_leftovers_of_killed_uploads_only(tmp_path):
    root = tmp_path / "uploads"
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    killed = ctx.Process(target=_hold_incoming, args=(root, ready))
    killed.start()
    assert ready.wait(60)
    os.kill(killed.pid, signal.SIGKILL)
    killed.join(10)
    live_ready = ctx.Event()
    live = ctx.Process(target=_hold_incoming, args=(root, live_ready))
    live.start()
    try:
        assert live_ready.wait(60)
        assert len(list(root.glob(".incoming-*"))) == 2
        removed = blobs.sweep_incoming(root)
        assert len(removed) == 1 and len(list(root.glob(".incoming-*"))) == 1  # the live upload's file stays
    finally:
        live.kill()
        live.join(10)
    assert len(blobs.sweep_incoming(root)) == 1 and list(root.glob(".incoming-*")) == []
