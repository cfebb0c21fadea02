"""Speed of liftrisk's inverse kinematics (the batched Levenberg-Marquardt of `liftrisk.bodymodel`).

Run: OMP_NUM_THREADS=2 taskset -c 0,1 python benchmarks/bench_bodymodel.py [n_frames]   (default 3000)
Also `figures()` for benchmarks/run_all.py --full.

Cases (best of 3, all frames at once):
* full-body keypoints: a synthetic lift (22 canonical joint centres + 1 cm Gaussian noise),
  the scaled 38-coordinate model, cold start (pelvis rigid fit, joints neutral; `solve_ik`
  solves every 4th frame from there and warm-starts the others from their neighbours);
  frames per second of wall time AND process CPU time per frame (all threads), because the
  project's 2-core machine is shared with other jobs: the wall figure depends on the load
  average, printed with the figures;
* the gait2354 walk (41 skin markers, 151 frames at 60 Hz; needs ../shared/data):
  `fit_body_model` end to end (static-trial scaling, registration, IK with 2 re-weighting
  passes) and the plain IK of the walk.
OpenSim's IK ran the gait2354 walk at about 140 frames/s on this kind of machine (issue 18),
one frame after the other.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np


def _best(fn, n=3):
    """(best wall s, CPU s of that run, result) over n runs."""
    out, best, cpu = None, np.inf, np.inf
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        if dt < best:
            best, cpu = dt, dc
    return best, cpu, out


def _shared() -> Path:
    here = Path(__file__).resolve().parents[1]
    d = Path(os.environ.get("LIFTRISK_SHARED_DATA", here.parent / "shared" / "data"))
    return d / "opensim_gait2354"


def measure(n_frames: int = 3000) -> dict[str, tuple[float, str]]:
    """All figures with their units and a few context values (prefixed ``_``)."""
    from liftrisk.bodymodel import build_model, fit_body_model, solve_ik
    from liftrisk.bodymodel.scaling import scale_geometry
    from liftrisk.core import Subject
    from liftrisk.core.skeletons import CANONICAL_POINTS
    from liftrisk.synthetic import synthetic_lift

    s = Subject("male", 80.0, 1.78)
    lift = synthetic_lift(s)
    m = lift.motion if hasattr(lift, "motion") else lift
    names = [n for n in m.point_names if n in CANONICAL_POINTS]
    reps = int(np.ceil(n_frames / m.n_frames))
    X = np.concatenate([m.points(names)] * reps)[:n_frames]
    X = X + np.random.default_rng(0).normal(scale=0.01, size=X.shape)
    model = build_model(s, scale_geometry(m, s).geometry)
    pts = {n: model.landmarks()[n] for n in names}
    w = np.ones(X.shape[:2])
    dt, cpu, sol = _best(lambda: solve_ik(model, pts, X, w))
    out = {"ik_full_body_frames_per_s": (n_frames / dt, "frames/s"),
           "ik_full_body_cpu_ms_per_frame": (1000.0 * cpu / n_frames, "ms"),
           "_full_body_rms_residual_mm": (1000.0 * float(np.sqrt(np.nanmean(sol.residual_m ** 2))), "mm"),
           "_full_body_points": (len(names), ""), "_coordinates": (len(model.coordinate_names), "")}
    d = _shared()
    if (d / "subject01_walk1.trc").exists():
        from liftrisk.io import read_trc

        walk, static = read_trc(d / "subject01_walk1.trc"), read_trc(d / "subject01_static.trc")
        sub = Subject("male", 72.6, 1.80)
        dt, cpu, fit = _best(lambda: fit_body_model(walk, sub, static=static), n=2)
        out["gait2354_fit_frames_per_s"] = (walk.n_frames / dt, "frames/s")
        mk = dict(fit.model.markers)
        Xw = walk.points(list(mk))
        dt, cpu, _ = _best(lambda: solve_ik(fit.model, mk, Xw, np.ones(Xw.shape[:2])))
        out["gait2354_ik_frames_per_s"] = (walk.n_frames / dt, "frames/s")
        out["gait2354_ik_cpu_ms_per_frame"] = (1000.0 * cpu / walk.n_frames, "ms")
        out["_gait2354_markers"] = (len(mk), "")
    return out


def figures() -> dict[str, tuple[float, str]]:
    """Figures for benchmarks/run_all.py: {name: (value, unit)}."""
    return {k: v for k, v in measure().items() if not k.startswith("_")}


def main(n_frames: int = 3000) -> None:
    load0 = os.getloadavg()
    f = measure(n_frames)
    load1 = os.getloadavg()
    print(f"full-body keypoints ({f['_full_body_points'][0]:.0f} points, {f['_coordinates'][0]:.0f} coordinates, "
          f"{n_frames} frames): {f['ik_full_body_frames_per_s'][0]:.0f} frames/s wall, "
          f"{f['ik_full_body_cpu_ms_per_frame'][0]:.3f} ms CPU per frame "
          f"(RMS residual {f['_full_body_rms_residual_mm'][0]:.1f} mm)")
    if "gait2354_ik_frames_per_s" in f:
        print(f"gait2354 walk ({f['_gait2354_markers'][0]:.0f} markers): fit_body_model end to end "
              f"{f['gait2354_fit_frames_per_s'][0]:.0f} frames/s; IK only {f['gait2354_ik_frames_per_s'][0]:.0f} "
              f"frames/s wall, {f['gait2354_ik_cpu_ms_per_frame'][0]:.3f} ms CPU per frame")
    print(f"load average (1 min) {load0[0]:.1f} before, {load1[0]:.1f} after; "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, CPUs usable {len(os.sched_getaffinity(0))}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
