"""Benchmark of the maximum-weight lifting prediction (run on demand, prints figures).

    python benchmarks/bench_predict.py            # 2D: build, anchors, weighted solve, Pareto sweep
    python benchmarks/bench_predict.py --3d       # also the 3D model
    python benchmarks/bench_predict.py --subject8 # Subject #8: guides x percentiles, free T, 3D split
    python benchmarks/bench_predict.py --other-subjects   # 3D on subjects/tasks the speed work was not tuned on

Figures of Zaman et al. 2021, sec. 3 (Intel Xeon E-2186G @ 3.8 GHz, SNOPT / in-house MATLAB): 2D 1.75 s, 3D 72.77 s
per solve. Goal here: 2D < 0.5 s per NLP solve; the full 3D prediction (anchors included) < 10 s.
``figures()`` returns the timings for benchmarks/run_all.py; for a steadier figure on a shared machine
pin one core: ``taskset -c 0 python benchmarks/bench_predict.py --3d --no-pareto``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from liftrisk.core.subject import Subject
from liftrisk.predict.problem2d import LiftTask, _x_of, anchors, prepare_problem, solve

SUBJECT8 = Subject("male", 83.73, 1.82, age_years=28)  # Subject #8 of Zaman et al. 2021, Table 2


def bench_2d(pareto: bool) -> None:
    task = LiftTask()
    t = time.perf_counter()
    prob = prepare_problem(SUBJECT8, task)
    print(f"2D prepare_problem (model, CasADi graph, IPOPT set-up, guide postures): {time.perf_counter() - t:.2f} s")
    least, best, norm = anchors(prob)
    for name, sol in (("max-weight anchor", best), ("min-effort anchor", least)):
        print(f"2D {name:18s}: {sol.solve_time_s:.3f} s, {sol.iterations:3d} iterations, W = {sol.box_weight_n:.1f} N")
    sol = solve(prob, weights=(0.15, 0.85), normalisation=norm, x0=_x_of(prob, best))
    print(f"2D weighted (0.15, 0.85): {sol.solve_time_s:.3f} s, {sol.iterations:3d} iterations, "
          f"W = {sol.box_weight_n:.1f} N ({sol.box_mass_kg:.1f} kg), {sol.status}")
    print(f"2D peak torque/strength on 101 frames: {sol.peak_strength_ratio().round(3).to_dict()}")
    from statistics import NormalDist

    from liftrisk.predict.problem2d import predict_max_weight

    pct = 100.0 * NormalDist().cdf(1.05)  # strength z-score of Subject #8 (Zaman et al. 2021, sec. 3)
    t = time.perf_counter()
    z = predict_max_weight(SUBJECT8, task, strength_percentile=pct)
    print(f"2D with the published z = 1.05 ({pct:.1f}th percentile): W = {z.solution.box_weight_n:.1f} N "
          f"(Zaman et al. 2021: 2D 220.15 N, measured 233.73 N; "
          f"anchors + solve + build {time.perf_counter() - t:.2f} s)")
    cold = solve(prob, weights=(0.15, 0.85), normalisation=norm)
    print(f"2D weighted, cold start  : {cold.solve_time_s:.3f} s, {cold.iterations:3d} iterations, "
          f"W = {cold.box_weight_n:.1f} N")
    if pareto:
        import numpy as np

        t = time.perf_counter()
        times, iters, x0 = [], [], _x_of(prob, best)
        for w1 in np.linspace(0, 1, 21):
            s = solve(prob, weights=(w1, 1 - w1), normalisation=norm, x0=x0)
            times.append(s.solve_time_s)
            iters.append(s.iterations)
            x0 = _x_of(prob, s) if s.success else x0
        print(f"2D Pareto sweep, 21 cases: {time.perf_counter() - t:.2f} s total, per solve median "
              f"{np.median(times):.3f} s (max {max(times):.3f}), median {int(np.median(iters))} iterations")


def _timed(fn):
    """(result, wall s, CPU s of this process) of ``fn()``."""
    c, t = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


def _load() -> str:
    return "load average " + (" ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a")


def figures() -> dict[str, tuple[float, str]]:
    """Subject #8, 50th percentile, default task: wall and CPU time (s, CPU of this process only:
    a forked anchor's CPU is not in it) of the 2D prediction; of the full 3D prediction from
    nothing (2D anchors, 3D build, both 3D anchors, weighted solves), with the anchors side by
    side where the machine allows (the default) and one after the other; of a call in a new
    process that finds the anchors in the on-disk cache; and of a second call with other
    weights (anchors kept in memory). For benchmarks/run_all.py --full."""
    import tempfile
    import warnings

    from liftrisk.predict import PredictionWarning, predict_max_weight, predict_max_weight_3d, problem3d

    out = {}
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as d:
        warnings.simplefilter("ignore", PredictionWarning)
        _, out["predict_2d_wall_s"], out["predict_2d_cpu_s"] = _timed(lambda: predict_max_weight(SUBJECT8, LiftTask()))
        _, out["predict_3d_full_wall_s"], out["predict_3d_full_cpu_s"] = _timed(
            lambda: predict_max_weight_3d(SUBJECT8, reuse_anchors=False, anchor_cache=d))
        _, out["predict_3d_full_serial_wall_s"], out["predict_3d_full_serial_cpu_s"] = _timed(
            lambda: predict_max_weight_3d(SUBJECT8, reuse_anchors=False, parallel=False))
        problem3d._ANCHORS.clear()   # as in a new process
        _, out["predict_3d_disk_anchors_wall_s"], out["predict_3d_disk_anchors_cpu_s"] = _timed(
            lambda: predict_max_weight_3d(SUBJECT8, anchor_cache=d))
        _, out["predict_3d_kept_anchors_wall_s"], out["predict_3d_kept_anchors_cpu_s"] = _timed(
            lambda: predict_max_weight_3d(SUBJECT8, weights=(0.2, 0.8)))
    return {k: (v, "s") for k, v in out.items()}


def bench_3d() -> None:
    """The full 3D prediction from nothing (anchors side by side where possible, then one after
    the other), its parts, a new process's call with the anchors on disk, and a second call with
    kept anchors."""
    import tempfile
    import warnings

    from liftrisk.predict import PredictionWarning, predict_max_weight_3d, problem3d

    print(_load())
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as d:
        warnings.simplefilter("ignore", PredictionWarning)
        for parallel in (None, False):
            r, wall, cpu = _timed(lambda parallel=parallel: predict_max_weight_3d(
                SUBJECT8, reuse_anchors=False, parallel=parallel, anchor_cache=d))
            for name, s in (("max-weight anchor", r.max_weight), ("min-effort anchor", r.min_effort),
                            ("weighted (0.15, 0.85)", r.solution)):
                print(f"3D {name:22s}: {s.solve_time_s:.2f} s, {s.iterations} iterations, W = {s.box_weight_n:.2f} N, "
                      f"{s.status}")
            how = "anchors one after the other" if parallel is False else "anchors side by side where possible"
            print(f"3D full prediction ({how}; 2D anchors + 3D build + anchors + weighted): {wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU of this process; W = {r.solution.box_weight_n:.2f} N ({r.solution.split_text()}); "
                  f"{_load()}")
        problem3d._ANCHORS.clear()   # as in a new process
        r2, wall, cpu = _timed(lambda: predict_max_weight_3d(SUBJECT8, anchor_cache=d))
        print(f"3D in a new process, anchors on disk: {wall:.2f} s wall, {cpu:.2f} s CPU; "
              f"W = {r2.solution.box_weight_n:.2f} N")
        r3, wall, cpu = _timed(lambda: predict_max_weight_3d(SUBJECT8, weights=(0.2, 0.8)))
        print(f"3D again, weights (0.2, 0.8), anchors kept in memory: {wall:.2f} s wall, {cpu:.2f} s CPU; "
              f"W = {r3.solution.box_weight_n:.2f} N")
    print(_load())


def subject8_tables() -> None:
    """The figures of docs/predict.md: guide postures (measured-style synthetic lift, each
    template, none) x strength percentiles (5, 50, z = 1.05, 95), box collision on and off;
    free lift time; the 3D totals and split with solver status."""
    import warnings
    from statistics import NormalDist

    import pandas as pd

    from liftrisk.predict import guide_postures_from_motion, max_weight_table, predict_max_weight_3d
    from liftrisk.synthetic.lift import synthetic_lift

    pd.set_option("display.width", 200)
    z = 100.0 * NormalDist().cdf(1.05)
    m = synthetic_lift(SUBJECT8, origin_m=(0.4, 0.15), destination_m=(0.4, 1.0), style="squat")
    measured = guide_postures_from_motion(m, neutral_s=0.0)
    guides = {"measured-style": measured, "squat": "squat", "stoop": "stoop", "none": None}
    cols = ["guide", "percentile", "box_weight_n", "duration_s", "binding_joint", "status"]
    for coll in (True, False):
        t = time.perf_counter()
        df = max_weight_table(SUBJECT8, LiftTask(box_collision=coll), guides=guides, percentiles=(5.0, 50.0, z, 95.0))
        print(f"2D, box collision {'on' if coll else 'off'} ({time.perf_counter() - t:.0f} s):")
        print(df.pivot(index="guide", columns="percentile", values="box_weight_n").round(1).to_string())
        print(df[cols].to_string(max_colwidth=60))
    df = max_weight_table(SUBJECT8, LiftTask(duration_bounds_s=(1.0, 2.0)),
                          guides={"measured-style": measured, "squat": "squat"}, percentiles=(z,))
    print("2D, free lift time 1.0-2.0 s:")
    print(df[cols].round(3).to_string())
    for pct in (z, 50.0):
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = predict_max_weight_3d(SUBJECT8, strength_percentile=pct)
        s = r.solution
        print(f"3D, {pct:.1f}th percentile: total {s.box_weight_n:.1f} N; {s.split_text()} (solved values: right "
              f"{s.right_hand_n:.1f}, left {s.left_hand_n:.1f} N); {s.status}, {s.iterations} it.; anchors "
              f"{r.max_weight.status} / {r.min_effort.status}; peak vertical GRF right {s.frames.grf_r_z_n.max():.0f}"
              f" N, left {s.frames.grf_l_z_n.max():.0f} N; {time.perf_counter() - t:.0f} s")


#: Subjects and tasks the 3D speed work was not tuned on (its checks used Subject #8):
#: (label, subject, task, strength percentile).
OTHER_CASES = (
    ("Subject #8, z = 1.05", SUBJECT8, LiftTask(), 85.3141),
    ("woman 62 kg 1.65 m 35 y, squat, (0.40, 0.25) -> (0.40, 0.90) m, 50th",
     Subject("female", 62.0, 1.65, age_years=35), LiftTask(box_start_m=(0.40, 0.25), box_end_m=(0.40, 0.90)), 50.0),
    ("man 70 kg 1.75 m 45 y, stoop, (0.45, 0.30) -> (0.40, 0.75) m, 70th",
     Subject("male", 70.0, 1.75, age_years=45),
     LiftTask(guide_postures_deg="stoop", box_start_m=(0.45, 0.30), box_end_m=(0.40, 0.75)), 70.0),
)


def other_subjects() -> None:
    """The full 3D prediction (anchors one after the other) on OTHER_CASES: weights, iterations
    (max-weight / min-effort / weighted), wall and CPU time. Compare revisions by running it with
    ``PYTHONPATH`` pointing at each one's ``src``."""
    import warnings

    from liftrisk.predict import PredictionWarning, predict_max_weight_3d

    for label, subject, task, pct in OTHER_CASES:
        load = _load()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PredictionWarning)
            try:
                r, wall, cpu = _timed(lambda subject=subject, task=task, pct=pct: predict_max_weight_3d(
                    subject, task, strength_percentile=pct, reuse_anchors=False, parallel=False))
            except Exception as err:  # a failed case is a figure too
                print(f"{label}: FAILED: {type(err).__name__}: {err}")
                continue
        print(f"{label}: 3D {r.solution.box_weight_n:.4f} N, 2D {r.solution_2d.box_weight_n:.4f} N, iterations "
              f"{r.max_weight.iterations}/{r.min_effort.iterations}/{r.solution.iterations}, {wall:.2f} s wall, "
              f"{cpu:.2f} s CPU; {load}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--3d", dest="three_d", action="store_true", help="also benchmark the 3D model")
    ap.add_argument("--no-pareto", action="store_true", help="skip the 21-case Pareto sweep")
    ap.add_argument("--subject8", action="store_true", help="only the Subject #8 tables of docs/predict.md")
    ap.add_argument("--other-subjects", action="store_true",
                    help="only the 3D prediction on subjects and tasks the speed work was not tuned on")
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    if args.other_subjects:
        other_subjects()
        return
    if args.subject8:
        subject8_tables()
        return
    bench_2d(pareto=not args.no_pareto)
    if args.three_d:
        bench_3d()


if __name__ == "__main__":
    main()
