"""Benchmark of the job level (run on demand): evaluate_job on many tasks and lifts, the VLI
of many sampled lifts, percent capable per frame, and `lift_measures` + `liftrisk job` on the
bundled demo.

    python benchmarks/bench_job.py [--tasks 20] [--lifts 50] [--frames 100000]
"""

from __future__ import annotations

import argparse
import time
from importlib import resources

import numpy as np
import pandas as pd

from liftrisk.core.subject import Subject
from liftrisk.job import JobSpec, LiftMeasure, TaskSpec, evaluate_job, lift_measures
from liftrisk.job.capable import percent_capable
from liftrisk.job.niosh_job import SampledLift, _lift_indices, variable_index


def best_of(fn, repeat=3) -> float:
    """Best wall time of `repeat` cold runs (the per-lift RNLE cache emptied before each)."""
    best = np.inf
    for _ in range(repeat):
        _lift_indices.cache_clear()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def random_measures(n_tasks: int, n_lifts: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    out = {}
    for t in range(n_tasks):
        ms = []
        for i in range(n_lifts):
            vo, vd = rng.uniform(0.1, 0.7), rng.uniform(0.8, 1.4)
            ms.append(LiftMeasure(f"r{t}", i, "lift", 0.0, 1.0, float(rng.uniform(3, 20)),
                                  (float(rng.uniform(0.25, 0.6)), vo, float(rng.uniform(0, 45))),
                                  (float(rng.uniform(0.25, 0.6)), vd, 0.0), vd - vo, float(rng.uniform(0.2, 0.6)),
                                  float(rng.uniform(50, 250)), {"left": 20.0, "right": 22.0},
                                  {"left": 0.4, "right": 0.4}, {"r_hip": float(rng.uniform(40, 100))}))
        out[f"task{t}"] = ms
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=20)
    ap.add_argument("--lifts", type=int, default=50)
    ap.add_argument("--frames", type=int, default=100_000)
    args = ap.parse_args()
    subj = Subject("male", 80.0, 1.78, age_years=40)
    meas = random_measures(args.tasks, args.lifts)
    spec = JobSpec("bench", 8.0, subj, tuple(TaskSpec(k, ("x",), 10.0, 0.5, 4.0) for k in meas))
    t = best_of(lambda: evaluate_job(spec, meas))
    n = args.tasks * args.lifts
    print(f"evaluate_job: {args.tasks} tasks x {args.lifts} lifts = {n} lifts in {t * 1e3:.0f} ms "
          f"({n / t:,.0f} lifts/s)")
    sampled = [SampledLift(m.load_kg, m.origin, m.destination, m.d_m, 0.01, "fair") for ms in meas.values()
               for m in ms]
    t = best_of(lambda: variable_index(sampled, 8.0))
    print(f"VLI of {len(sampled)} sampled lifts: {t * 1e3:.0f} ms")
    rng = np.random.default_rng(1)
    k = pd.DataFrame({f"{s}_{j}": rng.normal(50, 60, args.frames) for s in ("l", "r")
                      for j in ("hip_extension_moment_nm", "knee_extension_moment_nm",
                                "ankle_plantarflexion_moment_nm")})
    t = best_of(lambda: percent_capable(k, subj))
    print(f"percent capable, 6 joints: {args.frames / t:,.0f} frames/s")
    from liftrisk.pipeline import assess_file

    demo = resources.files("liftrisk") / "data" / "demo" / "demo_lift.trc"
    a = assess_file(str(demo), subj, 10.0)
    t = best_of(lambda: lift_measures(a))
    print(f"lift_measures on the demo assessment ({a.motion.n_frames} frames, {len(a.lifts)} lifts): "
          f"{t * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
