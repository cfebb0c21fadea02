"""`liftrisk batch`: folder and manifest input, resumability, same results on every
executor, crash-safe outputs, failures reported per item."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from liftrisk.batch import read_results, run_batch
from liftrisk.batch.manifest import collect
from liftrisk.errors import LiftriskError

RUNNER = "lr_test_runners:table_runner"
DEFAULTS = {"sex": "female", "mass_kg": 60.0, "height_m": 1.65}


def _recordings(folder, n=3):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rows = "".join(f"{0.01 * k:.2f},{(k - i) ** 2}\n" for k in range(4 + i))
        (folder / f"rec{i}.csv").write_text("time_s,value\n" + rows)
    return folder


def test_folder_batch_then_resume_skips_done(tmp_path):
    src, out = _recordings(tmp_path / "in"), tmp_path / "out"
    rep = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep.total, rep.done, rep.skipped, rep.failed) == (3, 3, 0, 0)
    recs = read_results(out)
    assert len(recs) == 3 and all(r["status"] == "done" for r in recs.values())
    by_name = {r["path"].rsplit("/", 1)[-1]: r for r in recs.values()}
    # rec2: values (k-2)^2 for k = 0..5 -> peak 9 at k = 5; 6 frames over 0.05 s
    assert by_name["rec2.csv"]["summary"]["peak_abs_value_n"] == 9.0
    assert by_name["rec2.csv"]["summary"]["n_frames"] == 6
    item_dir = out / by_name["rec2.csv"]["outputs"]
    assert json.loads((item_dir / "summary.json").read_text())["duration_s"] == pytest.approx(0.05)
    assert (item_dir / "report.html").read_text().startswith("<html>")
    lines = (out / "summary.csv").read_text().splitlines()
    assert len(lines) == 4 and "peak_abs_value_n" in lines[0]
    before = (out / "results.jsonl").read_text()
    rep2 = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep2.total, rep2.done, rep2.skipped) == (3, 0, 3)
    assert (out / "results.jsonl").read_text() == before
    # a new recording and a changed one are run; the unchanged two are not
    (src / "rec0.csv").write_text("time_s,value\n0,5\n0.01,6\n")
    _recordings(tmp_path / "more", 1)
    (src / "new.csv").write_text("time_s,value\n0,1\n0.01,2\n0.02,3\n")
    rep3 = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep3.total, rep3.done, rep3.skipped) == (4, 2, 2)


def test_torn_results_line_is_recovered_not_rerun(tmp_path):
    """A crash while appending the results line (torn JSON): the item's outputs are complete,
    so the next run takes its record back from record.json instead of running it again (a
    re-run recorded it twice in the database before)."""
    src, out = _recordings(tmp_path / "in", 2), tmp_path / "out"
    run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    before = read_results(out)
    text = (out / "results.jsonl").read_text().splitlines()
    (out / "results.jsonl").write_text(text[0] + "\n" + text[1][: len(text[1]) // 2])  # torn last line
    rep = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep.done, rep.skipped) == (0, 2)
    after = read_results(out)
    assert after == before and all(r["status"] == "done" for r in after.values())


def test_half_written_item_is_redone(tmp_path):
    """A crash after writing an item's outputs to its temporary folder but before the rename:
    the next run redoes the item and removes the leftover folder."""
    src, out = _recordings(tmp_path / "in", 1), tmp_path / "out"
    run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    rec = next(iter(read_results(out).values()))
    final = out / rec["outputs"]
    final.rename(final.with_name(f".{final.name}.tmp999"))
    (out / "results.jsonl").unlink()
    rep = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep.done, rep.skipped) == (1, 0)
    assert (final / "summary.json").is_file() and not list((out / "items").glob(".*"))


def test_failures_are_recorded_and_retried(tmp_path):
    src, out = _recordings(tmp_path / "in", 2), tmp_path / "out"
    (src / "empty.csv").write_text("time_s,value\n0,nan\n")
    rep = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep.done, rep.failed) == (2, 1)
    assert "no finite values" in rep.failures[0][1]
    rep2 = run_batch(src, out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert (rep2.skipped, rep2.failed) == (2, 1)  # failed items are tried again


def test_manifest_with_per_row_subjects(tmp_path):
    src = _recordings(tmp_path / "in", 2)
    (tmp_path / "m.csv").write_text("path,sex,mass_kg,height_m,box_mass_kg,job,task,worker,label\n"
                                    "in/rec0.csv,male,90,1.85,12,J1,T1,W1,before\n"
                                    "in/rec1.csv,,,,,J1,T1,W1,after\n")
    out = tmp_path / "out"
    rep = run_batch(tmp_path / "m.csv", out, workers=1, defaults=DEFAULTS, runner=RUNNER)
    assert rep.done == 2
    recs = sorted(read_results(out).values(), key=lambda r: r["label"])
    assert [(r["label"], r["summary"]["mass_kg"], r["summary"]["box_mass_kg"]) for r in recs] == [
        ("after", 60.0, None), ("before", 90.0, 12.0)]
    # same file, different subject -> a different item
    items = collect(tmp_path / "m.csv", DEFAULTS)
    assert items[0].key != collect(src, DEFAULTS)[0].key


@pytest.mark.parametrize(("manifest", "message"), [
    ("path,sex\nmissing.csv,male\n", "not found"),
    ("file,sex\nx.csv,male\n", "'path' column"),
    ("path,weight\nin/rec0.csv,80\n", "unknown columns"),
    ("path,mass_kg\nin/rec0.csv,800\n", "mass_kg is 800"),
])
def test_bad_manifests_are_refused_clearly(tmp_path, manifest, message):
    _recordings(tmp_path / "in", 1)
    (tmp_path / "m.csv").write_text(manifest)
    with pytest.raises(LiftriskError, match=message):
        run_batch(tmp_path / "m.csv", tmp_path / "out", workers=1, defaults=DEFAULTS, runner=RUNNER)


def test_missing_subject_defaults(tmp_path):
    with pytest.raises(LiftriskError, match="sex, mass_kg, height_m missing"):
        run_batch(_recordings(tmp_path / "in", 1), tmp_path / "out", runner=RUNNER)


def _summaries(out):
    return {r["sha256"]: (r["summary"], (out / r["outputs"] / "timeseries.csv").read_text())
            for r in read_results(out).values()}


def test_local_processes_and_dask_give_identical_results(tmp_path):
    """Serial, spawned local processes and a Dask cluster (threads here, to start quickly under
    load; the slow real-pipeline test uses Dask worker processes)."""
    pytest.importorskip("distributed", reason="the dask extra is not installed (pip install 'liftrisk[dask]')")
    src = _recordings(tmp_path / "in", 3)
    serial = run_batch(src, tmp_path / "serial", workers=1, defaults=DEFAULTS, runner=RUNNER)
    procs = run_batch(src, tmp_path / "procs", workers=2, defaults=DEFAULTS, runner=RUNNER)
    dask = run_batch(src, tmp_path / "dask", executor="dask", workers=2, defaults=DEFAULTS, runner=RUNNER,
                     dask_processes=False)
    assert serial.done == procs.done == dask.done == 3
    ref = _summaries(tmp_path / "serial")
    assert _summaries(tmp_path / "procs") == ref
    assert _summaries(tmp_path / "dask") == ref


def test_ray_missing_is_a_clear_error(tmp_path):
    import importlib.util

    if importlib.util.find_spec("ray") is not None:
        pytest.skip("ray is installed")
    with pytest.raises(LiftriskError, match=r"pip install 'liftrisk\[ray\]'"):
        run_batch(_recordings(tmp_path / "in", 1), tmp_path / "out", executor="ray", defaults=DEFAULTS,
                  runner=RUNNER)


def test_batch_records_in_store_and_cli(tmp_path, monkeypatch):
    from liftrisk.cli.main import app
    from liftrisk.store import AssessmentStore, StoreSettings

    src = _recordings(tmp_path / "in", 2)
    monkeypatch.setenv("LIFTRISK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LIFTRISK_DATABASE_URL", raising=False)
    monkeypatch.setenv("LIFTRISK_RUNNER", RUNNER)
    args = ["batch", str(src), "-o", str(tmp_path / "out"), "--workers", "1", "--sex", "male", "--mass-kg", "75",
            "--height-m", "1.8", "--db"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "2 assessed, 0 already done" in res.output
    st = AssessmentStore(StoreSettings.at(tmp_path / "data"))
    rows = st.list_assessments()
    assert [r.status for r in rows] == ["done", "done"]
    assert st.get_result(rows[0].id).summary["mass_kg"] == 75.0
    st.close()
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0 and "0 assessed, 2 already done" in res.output
    res = CliRunner().invoke(app, ["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "o2")])
    assert res.exit_code != 0 and "not found" in res.output + str(res.exception)
