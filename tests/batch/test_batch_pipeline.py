"""`liftrisk batch` with the real pipeline (slow): synthetic lifts of two workers give the
same results on local processes and on a Dask cluster, and match the pipeline called
directly on each file."""

from __future__ import annotations

import importlib.util

import pytest

from liftrisk.batch import read_results, run_batch

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(importlib.util.find_spec("liftrisk.pipeline") is None,
                                 reason="liftrisk.pipeline missing")]


def test_real_pipeline_local_and_dask_identical(tmp_path):
    from liftrisk.core import Subject
    from liftrisk.io import write_trc
    from liftrisk.pipeline import assess_file
    from liftrisk.synthetic.lift import synthetic_lift

    src = tmp_path / "in"
    src.mkdir()
    subjects = {"w1": Subject("male", 85, 1.82), "w2": Subject("female", 58, 1.62)}
    rows = ["path,sex,mass_kg,height_m,box_mass_kg,worker"]
    for code, subj in subjects.items():
        write_trc(synthetic_lift(subj, 12.0, origin_m=(0.45, 0.2)), src / f"{code}.trc")
        rows.append(f"in/{code}.trc,{subj.sex},{subj.mass_kg},{subj.height_m},12,{code.upper()}")
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n")
    local = run_batch(tmp_path / "m.csv", tmp_path / "local", workers=2)
    dask = run_batch(tmp_path / "m.csv", tmp_path / "dask", executor="dask", workers=2)
    assert local.done == dask.done == 2, (local.failures, dask.failures)
    by_worker = {}
    for name in ("local", "dask"):
        for r in read_results(tmp_path / name).values():
            csv = (tmp_path / name / r["outputs"] / "timeseries.csv").read_text()
            by_worker.setdefault(r["worker"], []).append((r["summary"], csv))
    for code, ((s_local, csv_local), (s_dask, csv_dask)) in by_worker.items():
        assert s_local == s_dask and csv_local == csv_dask, code
        direct = assess_file(src / f"{code.lower()}.trc", subjects[code.lower()], 12.0).summary
        assert s_local["peak_compression_n"] == pytest.approx(direct["peak_compression_n"], rel=1e-12)
        assert s_local["n_lifts"] == direct["n_lifts"] == 1
