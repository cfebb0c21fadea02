"""Assessment store: life cycle, one-transaction results, failure injection, crash
recovery, content-addressed uploads (on SQLite and, when available, PostgreSQL)."""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os

import pytest
from sqlalchemy import event, func, select

from liftrisk.batch.queued import execute
from liftrisk.core import Subject
from liftrisk.errors import LiftriskError
from liftrisk.store import StoreSettings
from liftrisk.store.models import AssessmentRecord, Result

SUBJ = Subject("female", 62.0, 1.68, age_years=41)
CSV = b"time_s,value\n0.0,1.0\n0.01,-3.5\n0.02,2.0\n"


def _queue(store, content=CSV, **kw):
    up = store.add_upload([content], ".csv", kind="motion")
    return store.create_assessment(up.sha256, "lift.csv", SUBJ, box_mass_kg=12.0, **kw)


def _n_results(store):
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(Result))


def test_life_cycle_and_one_claim(store):
    aid = _queue(store, job="warehouse", task="palletising", worker="W017", label="before")
    a = store.get(aid)
    assert (a.status, a.task.code, a.task.job.code, a.worker.code) == ("queued", "palletising", "warehouse", "W017")
    assert store.subject_of(a) == SUBJ
    assert store.claim(aid) is True
    assert store.claim(aid) is False  # a second worker gets nothing
    store.save_result(aid, {"peak_n": 3.5}, "time_s,x\n0,1\n", "<html></html>")
    a = store.get(aid)
    assert a.status == "done" and a.progress == 1.0 and a.finished_at is not None
    assert store.get_result(aid).summary == {"peak_n": 3.5}
    # a done assessment cannot be failed or overwritten afterwards
    assert store.mark_failed(aid, "late failure") is False
    with pytest.raises(LiftriskError, match="not running"):
        store.save_result(aid, {}, "", "")
    assert store.get(aid).status == "done" and _n_results(store) == 1


def test_execute_writes_result_computed_by_runner(store):
    aid = _queue(store)
    assert execute(store.settings, aid, "lr_test_runners:table_runner") == "done"
    r = store.get_result(aid)
    # independent check of the CSV content: frames, duration and peak |value|
    assert r.summary["n_frames"] == 3
    assert r.summary["duration_s"] == pytest.approx(0.02)
    assert r.summary["peak_abs_value_n"] == 3.5
    assert r.summary["nan_field"] is None  # NaN stored as JSON null (PostgreSQL has no NaN)
    assert r.summary["box_mass_kg"] == 12.0
    assert r.timeseries_csv.splitlines()[2] == "0.01,-3.5,-7"
    assert execute(store.settings, aid, "lr_test_runners:table_runner") == "skipped"


@pytest.mark.parametrize(("runner", "message"), [
    ("lr_test_runners:crash_runner", "internal error (RuntimeError: simulated crash"),
    ("lr_test_runners:user_error_runner", "every keypoint is NaN"),
    ("lr_test_runners:wrong_type_runner", "expected AssessmentOutput"),
    ("no_such_module:run", "cannot load runner"),
])
def test_runner_failure_marks_failed_with_message(store, runner, message):
    aid = _queue(store)
    assert execute(store.settings, aid, runner) == "failed"
    a = store.get(aid)
    assert a.status == "failed" and message in a.error
    assert _n_results(store) == 0


def test_crash_while_writing_result_leaves_failed_not_half_written(store):
    """Inject a failure inside the result transaction, after the result row is flushed:
    the transaction rolls back, the assessment ends 'failed' and no result row exists."""
    done_id = _queue(store, content=CSV + b"0.03,9\n")
    assert execute(store.settings, done_id, "lr_test_runners:table_runner") == "done"
    aid = _queue(store)

    def boom(session):
        if any(isinstance(o, Result) for o in session.new) or any(
                isinstance(o, AssessmentRecord) and o.status == "done" for o in session.dirty):
            session.flush()  # the result row reaches the database inside the transaction...
            raise OSError("disk full (injected)")  # ...then the commit fails

    # executes in this process, so the listener on the Session class sees its sessions
    from sqlalchemy.orm import Session

    event.listen(Session, "before_commit", boom)
    try:
        assert execute(store.settings, aid, "lr_test_runners:table_runner") == "failed"
    finally:
        event.remove(Session, "before_commit", boom)
    a = store.get(aid)
    assert a.status == "failed" and "disk full (injected)" in a.error
    with pytest.raises(LiftriskError, match="no result"):
        store.get_result(aid)
    # the earlier finished assessment is intact
    assert store.get(done_id).status == "done"
    assert store.get_result(done_id).summary["n_frames"] == 4
    assert _n_results(store) == 1


def test_recover_interrupted(store):
    running, queued = _queue(store), _queue(store, content=CSV + b"0.03,1\n")
    assert store.claim(running)
    assert store.recover_interrupted() == [queued]
    a = store.get(running)
    assert a.status == "failed" and "interrupted" in a.error
    assert store.get(queued).status == "queued"


def test_progress_clamped_and_listing_filters(store):
    a1 = _queue(store, job="J1", task="T1", worker="W1")
    a2 = _queue(store, job="J1", task="T2", worker="W2")
    a3 = _queue(store, job="J2", task="T1", worker="W1")
    store.claim(a1)
    store.set_progress(a1, 7.0, "x" * 500)
    assert store.get(a1).progress == 1.0 and len(store.get(a1).stage) == 200
    ids = lambda rows: [r.id for r in rows]  # noqa: E731
    assert ids(store.list_assessments()) == [a3, a2, a1]
    assert ids(store.list_assessments(job="J1")) == [a2, a1]
    assert ids(store.list_assessments(task="T1")) == [a3, a1]
    assert ids(store.list_assessments(worker="W2")) == [a2]
    assert ids(store.list_assessments(job="J1", worker="W1", status="running")) == [a1]
    assert store.codes() == {"job": ["J1", "J2"], "task": ["T1", "T2"], "worker": ["W1", "W2"]}
    assert store.counts() == {"queued": 2, "running": 1, "done": 0, "failed": 0}


@pytest.mark.parametrize("code", ["Jane Doe", " ", "../x", "a" * 41, "W1;drop"])
def test_worker_codes_are_pseudonymous_tokens(store, code):
    up = store.add_upload([CSV], ".csv", kind="motion")
    with pytest.raises(LiftriskError, match="pseudonymous"):
        store.create_assessment(up.sha256, "a.csv", SUBJ, worker=code)


def test_uploads_content_addressed_never_overwritten(store):
    up1 = store.add_upload([CSV[:10], CSV[10:]], ".CSV", kind="motion")
    assert up1.sha256 == hashlib.sha256(CSV).hexdigest()
    path = store.upload_path(up1)
    assert path.read_bytes() == CSV and path.suffix == ".csv"
    assert not os.access(path, os.W_OK) or os.geteuid() == 0  # read-only (root ignores modes)
    assert oct(path.stat().st_mode & 0o777) == "0o444"
    mtime = path.stat().st_mtime_ns
    up2 = store.add_upload([CSV], ".csv", kind="motion")
    assert up2.sha256 == up1.sha256 and path.stat().st_mtime_ns == mtime
    # too large: refused, nothing stored, no temporary file left behind
    with pytest.raises(LiftriskError, match="larger than the limit"):
        store.add_upload([b"x" * 100], ".csv", kind="motion", max_bytes=99)
    files = [p for p in store.settings.uploads_dir.rglob("*") if p.is_file()]
    assert files == [path]


def _put_same(args):
    root, content = args
    from liftrisk.store.blobs import put_chunks

    return str(put_chunks(root, [content[i:i + 997] for i in range(0, len(content), 997)], ".trc").path)


def test_concurrent_uploads_of_same_bytes_share_one_intact_file(tmp_path):
    content = os.urandom(200_000)
    with cf.ProcessPoolExecutor(2) as pool:
        paths = list(pool.map(_put_same, [(tmp_path, content)] * 6))
    assert len(set(paths)) == 1
    assert open(paths[0], "rb").read() == content
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [os.path.basename(paths[0])]


def test_concurrent_store_uploads_and_assessments(store):
    """Threads uploading the same bytes and queueing assessments: one upload row, all queued."""
    def work(i):
        up = store.add_upload([CSV], ".csv", kind="motion")
        return store.create_assessment(up.sha256, f"lift{i}.csv", SUBJ, job="J", task="T", worker="W9")
    with cf.ThreadPoolExecutor(4) as pool:
        ids = list(pool.map(work, range(8)))
    assert len(set(ids)) == 8
    assert {a.upload_sha256 for a in store.list_assessments()} == {hashlib.sha256(CSV).hexdigest()}
    assert store.codes() == {"job": ["J"], "task": ["T"], "worker": ["W9"]}


def test_settings_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LIFTRISK_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("LIFTRISK_DATABASE_URL", raising=False)
    s = StoreSettings.from_env()
    assert s.database_url == f"sqlite:///{tmp_path / 'd' / 'liftrisk.db'}"
    monkeypatch.setenv("LIFTRISK_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert StoreSettings.from_env().database_url == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("LIFTRISK_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert StoreSettings.from_env().data_dir == tmp_path / "xdg" / "liftrisk"


@pytest.mark.parametrize("name", ["Packing line", "Étiquetage des palettes", "Line 3 (night)", "R&D - store"])
def test_job_and_task_names_are_ordinary_words(store, name):
    up = store.add_upload([CSV], ".csv", kind="motion")
    aid = store.create_assessment(up.sha256, "a.csv", SUBJ, job=name, task=name, worker="W1")
    a = store.get(aid)
    assert (a.task.job.code, a.task.code) == (name, name)


@pytest.mark.parametrize("name", ["../x", " ", "a/b", "_x", "a" * 41, "x\ny"])
def test_job_names_refuse_paths_and_control_characters(store, name):
    up = store.add_upload([CSV], ".csv", kind="motion")
    with pytest.raises(LiftriskError, match="job name"):
        store.create_assessment(up.sha256, "a.csv", SUBJ, job=name)
