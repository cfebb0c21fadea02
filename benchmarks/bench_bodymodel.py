"""Speed of liftrisk's inverse kinematics (the batched Levenberg-Marquardt of `liftrisk.bodymodel`).

Run: python benchmarks/bench_bodymodel.py [n_frames]   (default 3000)

Cases (best of 3, frames per second of `solve_ik`, all frames at once):
* full-body keypoints: a synthetic lift (22 canonical joint centres + 1 cm Gaussian noise),
  the scaled 38-coordinate model, cold start (pelvis rigid fit, joints neutral);
* the gait2354 walk (41 skin markers, 151 frames at 60 Hz; needs ../shared/data):
  `fit_body_model` end to end (static-trial scaling, registration, IK with 2 re-weighting
  passes) and the plain IK of the walk.
Threads: set OMP_NUM_THREADS / taskset to compare (the project's target machine has 2 cores,
shared with other jobs: say so with the figures). OpenSim's IK ran the gait2354 walk at about
140 frames/s on this kind of machine (issue 18), one frame after the other.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np


def best_of(fn, n=3):
    out, best = None, np.inf
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(n_frames: int = 3000) -> None:
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
    dt, sol = best_of(lambda: solve_ik(model, pts, X, w))
    rms = np.sqrt(np.nanmean(sol.residual_m ** 2))
    print(f"full-body keypoints ({len(names)} points, {model.coordinate_names.__len__()} coordinates): "
          f"{n_frames} frames in {dt:.2f} s = {n_frames / dt:.0f} frames/s (RMS residual {1000 * rms:.1f} mm, "
          f"{sol.iterations} iterations)")

    d = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "opensim_gait2354"
    import os
    d = Path(os.environ.get("LIFTRISK_SHARED_DATA", d.parent)) / "opensim_gait2354"
    if (d / "subject01_walk1.trc").exists():
        from liftrisk.io import read_trc

        walk, static = read_trc(d / "subject01_walk1.trc"), read_trc(d / "subject01_static.trc")
        sub = Subject("male", 72.6, 1.80)
        dt, fit = best_of(lambda: fit_body_model(walk, sub, static=static), n=2)
        print(f"gait2354 walk, fit_body_model end to end: {walk.n_frames} frames in {dt:.2f} s = "
              f"{walk.n_frames / dt:.0f} frames/s (RMS marker residual {1000 * fit.rms_residual_m():.1f} mm)")
        mk = dict(fit.model.markers)
        Xw = walk.points(list(mk))
        dt, _ = best_of(lambda: solve_ik(fit.model, mk, Xw, np.ones(Xw.shape[:2])))
        print(f"gait2354 walk, IK only ({len(mk)} markers): {walk.n_frames / dt:.0f} frames/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
