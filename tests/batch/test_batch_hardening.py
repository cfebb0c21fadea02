"""`liftrisk batch` after crashes and on awkward inputs: byte-identical recordings are
reported and assessed once (they stopped the whole batch before), a resumed ``--db`` batch
never records an item twice or leaves a ``queued`` row, and the batch runs on Ray as on the
local executor."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from liftrisk.batch import read_results, run_batch

RUNNER = "lr_test_runners:table_runner"
DEFAULTS = {"sex": "female", "mass_kg": 60.0, "height_m": 1.65}


def _recordings(folder, n=3):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rows = "".join(f"{0.01 * k:.2f},{(k - i) ** 2}\n" for k in range(4 + i))
        (folder / f"rec{i}.csv").write_text("time_s,value\n" + rows)
    return folder


def _summaries(out):
    return {r["sha256"]: (r["summary"], (out / r["outputs"] / "timeseries.csv").read_text())
            for r in read_results(out).values()}


def test_identical_files_reported_and_skipped(tmp_path):
    """Before: two empty (or identical) files -> "listed more than once", nothing ran."""
    src = _recordings(tmp_path / "in", 2)
    (src / "copy_of_rec0.csv").write_bytes((src / "rec0.csv").read_bytes())
    rep = run_batch(src, tmp_path / "out", workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep.total, rep.done, rep.failed) == (2, 2, 0)
    assert [(p.rsplit("/", 1)[-1], k.rsplit("/", 1)[-1]) for p, k in rep.duplicates] == [("rec0.csv",
                                                                                          "copy_of_rec0.csv")]
    assert "1 duplicate(s) skipped" in str(rep)
    assert len(read_results(tmp_path / "out")) == 2


def test_same_file_for_two_workers_is_two_items(tmp_path):
    """Same bytes and subject but different worker codes: two records, not a duplicate."""
    _recordings(tmp_path / "in", 1)
    (tmp_path / "m.csv").write_text("path,sex,mass_kg,height_m,worker\nin/rec0.csv,male,80,1.8,W1\n"
                                    "in/rec0.csv,male,80,1.8,W2\n")
    rep = run_batch(tmp_path / "m.csv", tmp_path / "out", workers=1, runner=RUNNER)
    assert (rep.done, rep.duplicates) == (2, [])


def test_negative_box_in_manifest_refused(tmp_path):
    from liftrisk.errors import LiftriskError

    _recordings(tmp_path / "in", 1)
    (tmp_path / "m.csv").write_text("path,sex,mass_kg,height_m,box_mass_kg\nin/rec0.csv,male,80,1.8,-3\n")
    with pytest.raises(LiftriskError, match=r"m.csv line 2: box_mass_kg is -3.0 kg; expected 0.0-200.0 kg"):
        run_batch(tmp_path / "m.csv", tmp_path / "out", workers=1, runner=RUNNER)


def _store(tmp_path):
    from liftrisk.store import AssessmentStore, StoreSettings

    return AssessmentStore(StoreSettings.at(tmp_path / "data"))


def test_db_batch_resumed_after_lost_lines_records_each_item_once(tmp_path):
    """Before: a batch killed after recording an item in the database but before its results
    line (or with the line cut) recorded it again on resume, and a kill between 'queued' and
    'done' left a stray queued row that `liftrisk serve` ran again."""
    src, out = _recordings(tmp_path / "in", 3), tmp_path / "out"
    st = _store(tmp_path)
    try:
        run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER, store=st)
        first = {a.id: st.get_result(a.id).summary for a in st.list_assessments()}
        for rec in read_results(out).values():  # as if killed after the DB commit, before anything else
            shutil.rmtree(out / rec["outputs"])
        (out / "results.jsonl").unlink()
        rep = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER, store=st)
        assert rep.done == 3
        rows = st.list_assessments()
        assert {a.id: st.get_result(a.id).summary for a in rows} == first  # same rows, unchanged
        assert st.counts() == {"queued": 0, "running": 0, "done": 3, "failed": 0}
        assert sorted(r["assessment_id"] for r in read_results(out).values()) == sorted(first)
    finally:
        st.close()


def test_add_finished_is_one_idempotent_transaction(tmp_path):
    from liftrisk.core import Subject

    st = _store(tmp_path)
    try:
        up = st.add_upload([b"time_s,value\n0,1\n"], ".csv", kind="motion")
        args = (up.sha256, "a.csv", Subject("male", 80, 1.8), {"x": 1.0}, "t\n", "<html></html>")
        a = st.add_finished(*args, source_key="k1", worker="W1")
        assert st.add_finished(*args, source_key="k1", worker="W1") == a
        assert st.get(a).status == "done" and st.get_result(a).summary == {"x": 1.0}
        assert st.recover_interrupted() == []  # nothing queued for a server to run again
    finally:
        st.close()


def test_cli_batch_prints_duplicates(tmp_path, monkeypatch):
    from liftrisk.cli.main import app

    src = _recordings(tmp_path / "in", 1)
    (src / "again.csv").write_bytes((src / "rec0.csv").read_bytes())
    monkeypatch.setenv("LIFTRISK_RUNNER", RUNNER)
    res = CliRunner().invoke(app, ["batch", str(src), "-o", str(tmp_path / "out"), "--workers", "1", "--sex",
                                   "male", "--mass-kg", "75", "--height-m", "1.8"])
    assert res.exit_code == 0, res.output
    assert "1 assessed" in res.output and "duplicate: " in res.output and "assessed once" in res.output


@pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                    reason="ray is not installed (pip install 'liftrisk[ray]')")
def test_ray_gives_the_same_results_as_local(tmp_path, monkeypatch):
    """The batch path on Ray, as on Dask: the same summaries and time series as a serial run."""
    runners = str(Path(__file__).resolve().parents[1] / "store")  # Ray's workers import the runner doubles
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [runners, os.environ.get("PYTHONPATH")])))
    src = _recordings(tmp_path / "in", 3)
    serial = run_batch(src, tmp_path / "serial", workers=1, defaults=DEFAULTS, runner=RUNNER)
    ray = run_batch(src, tmp_path / "ray", executor="ray", workers=2, defaults=DEFAULTS, runner=RUNNER)
    assert serial.done == ray.done == 3
    assert _summaries(tmp_path / "ray") == _summaries(tmp_path / "serial")
    assert {json.dumps(r["executor"]) for r in read_results(tmp_path / "ray").values()} == {'"ray"'}


def test_two_empty_files_do_not_stop_the_batch(tmp_path):
    """The probe's case: two empty files used to stop the whole batch ("listed more than once");
    now one is reported as a duplicate and the other fails with the size check's message."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.trc").write_bytes(b"")
    (src / "b.trc").write_bytes(b"")
    rep = run_batch(src, tmp_path / "out", workers=1, defaults=DEFAULTS)  # the real runner
    assert (rep.total, rep.done, rep.failed, len(rep.duplicates)) == (1, 0, 1, 1)
    assert "the file is empty (0 bytes)" in rep.failures[0][1]
