"""Runner doubles for the store/web/batch tests (importable by worker processes: the
tests put this folder on sys.path, which spawned workers inherit).

`table_runner` is a real, small computation on a CSV table (so results can be checked
against numbers computed independently in the tests); the others inject failures.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import numpy as np

from liftrisk.batch.runner import AssessmentOutput
from liftrisk.errors import DataQualityError


def table_runner(path, subject, hand_load=None, settings=None, progress=None) -> AssessmentOutput:
    """Read 'time_s,value' CSV; summary = frames, duration, peak |value|, and body mass."""
    data = np.genfromtxt(path, delimiter=",", names=True)
    if data.size == 0 or not np.isfinite(data["value"]).any():
        raise DataQualityError(f"{Path(path).name}: no finite values")
    if progress:
        progress(0.5, "computing")
    t, v = np.atleast_1d(data["time_s"]), np.atleast_1d(data["value"])
    buf = io.StringIO()
    buf.write("time_s,value_n,double_value_n\n")
    for ti, vi in zip(t, v, strict=True):
        buf.write(f"{ti:.6g},{vi:.6g},{2 * vi:.6g}\n")
    summary = {"n_frames": int(t.size), "duration_s": float(t[-1] - t[0]),
               "peak_abs_value_n": float(np.nanmax(np.abs(v))), "mass_kg": subject.mass_kg,
               "box_mass_kg": hand_load, "nan_field": float("nan")}
    html = f"<html><body><h1>report</h1><p>peak {summary['peak_abs_value_n']}</p></body></html>"
    return AssessmentOutput(summary=summary, timeseries_csv=buf.getvalue(), report_html=html)


def crash_runner(path, subject, hand_load=None, settings=None, progress=None) -> AssessmentOutput:
    """Fails with an unexpected exception half-way."""
    if progress:
        progress(0.4, "half-way")
    raise RuntimeError("simulated crash in the pipeline")


def user_error_runner(path, subject, hand_load=None, settings=None, progress=None) -> AssessmentOutput:
    """Fails with a user-facing error."""
    raise DataQualityError(f"{Path(path).name}: every keypoint is NaN; expected tracked points")


def exit_runner(path, subject, hand_load=None, settings=None, progress=None) -> AssessmentOutput:
    """Kills its worker process (as a segfault in a native library would)."""
    os._exit(3)


def slow_runner(path, subject, hand_load=None, settings=None, progress=None) -> AssessmentOutput:
    """table_runner after a short wait with progress updates."""
    for i in range(5):
        if progress:
            progress(i / 5, f"step {i}")
        time.sleep(0.1)
    return table_runner(path, subject, hand_load, settings, progress)


def wrong_type_runner(path, subject, hand_load=None, settings=None, progress=None):
    """Returns something that is not an AssessmentOutput."""
    return {"summary": {}}


def reader_runner(path, subject, hand_load=None, settings=None, progress=None) -> AssessmentOutput:
    """Only the real readers (`liftrisk.io.read_motion`): frames, points, duration."""
    from liftrisk.io import read_motion

    m = read_motion(path)
    csv = "time_s\n" + "".join(f"{t:.6g}\n" for t in m.time_s)
    return AssessmentOutput(summary={"n_frames": m.n_frames, "n_points": m.n_points, "duration_s": m.duration_s},
                            timeseries_csv=csv, report_html="<html><body>read</body></html>")


def sleepy_runner(path, subject, hand_load=None, settings=None, progress=None) -> AssessmentOutput:
    """table_runner after LR_SLEEP_S seconds (default 1.5) of 'work' with progress: long
    enough for a crash test to kill its server or batch in the middle of a job."""
    total = float(os.environ.get("LR_SLEEP_S", "1.5"))
    steps = 10
    for i in range(steps):
        if progress:
            progress(i / steps, f"step {i}")
        time.sleep(total / steps)
    return table_runner(path, subject, hand_load, settings, progress)


def lab_runner(path, subject, hand_load=None, settings=None, progress=None, lab=None) -> AssessmentOutput:
    """table_runner that also takes the lab inputs (`liftrisk.io.LabInputs`): the summary
    adds the peak |value| of the static trial's table and the names of the lab files, so a
    test sees which files reached the worker."""
    out = table_runner(path, subject, hand_load, settings, progress)
    summary = dict(out.summary)
    if lab is not None and lab.static is not None:
        summary["static_peak_abs_value_n"] = float(np.nanmax(np.abs(np.genfromtxt(lab.static, delimiter=",",
                                                                                   names=True)["value"])))
    if lab is not None and lab.measurements():
        summary["lab_measurements_mm"] = lab.measurements()
    summary["lab_file_names"] = ";".join(sorted(Path(p).name for v in (lab.files().values() if lab else ())
                                                for p in (v if isinstance(v, tuple) else (v,)) if p))
    return AssessmentOutput(summary=summary, timeseries_csv=out.timeseries_csv, report_html=out.report_html)
