"""Run liftrisk's benchmark figures side by side and compare them with a baseline.

Run (not part of the test suite)::

    python benchmarks/run_all.py                      # quick figures (about a minute)
    python benchmarks/run_all.py --full               # + video, 3D prediction, batch scale-out, every
                                                      #   benchmarks/bench_*.py that offers figures()
    python benchmarks/run_all.py --against main~5     # same figures, same machine, same run: this tree
                                                      #   vs another git revision (direct ratios)
    python benchmarks/run_all.py --save-baseline      # write benchmarks/baseline.json (commit it)
    python benchmarks/run_all.py --only kinetics,risk --out figures.csv

Each figure is a value with its unit and whether higher or lower is better. The table gives
the ratio to the baseline as a *cost* ratio (> 1 = worse; 1.5 = 50 % slower). The exit status
is 1 when any figure is more than 30 % worse (``--tolerance``) or a figure fails to run.

Two kinds of baseline:

* ``--against REV`` (preferred): the figures of another revision are measured by this same
  script in a subprocess, in the same run on the same machine, with ``PYTHONPATH`` pointing at
  a temporary ``git worktree`` of REV. Figures that do not exist at REV are shown as n/a.
* ``benchmarks/baseline.json`` (default): figures stored by ``--save-baseline``, together with
  the time of a fixed reference workload (NumPy + pure Python) measured in the same run. The
  ratio is corrected by the reference workload's time now and then, so a slower or busier
  machine does not read as a regression; the correction is approximate (a shared machine's
  load changes during a run), hence ``--against`` where exact ratios matter.

Timings are best of ``--repeat`` runs (default 3) of wall time; the machine's load average
is printed with the table because the project's target machine (2 cores) is often shared.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE = HERE / "baseline.json"

# name -> (function returning {figure: (value, unit, better)}, needs --full)
Figure = tuple[float, str, str]
REGISTRY: dict[str, tuple[Callable[[int], dict[str, Figure]], bool]] = {}


def figure_group(name: str, full: bool = False):
    """Register a function ``fn(repeat) -> {figure name: (value, unit, "higher"|"lower")}``."""
    def wrap(fn):
        REGISTRY[name] = (fn, full)
        return fn
    return wrap


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of `repeat` calls, s."""
    best = np.inf
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return float(best)


def reference_workload_s(repeat: int = 5) -> float:
    """Time of a fixed NumPy + pure-Python workload, s: the machine-speed yardstick."""
    rng = np.random.default_rng(0)
    a = rng.normal(size=(300, 300))

    def work():
        b = a
        for _ in range(20):
            b = np.tanh(b @ a / 300.0)
        s = 0.0
        for i in range(200_000):
            s += i % 7
        return b, s
    return best_time(work, repeat)


# ---------------------------------------------------------------------------- figure groups
@figure_group("processing")
def _processing(repeat: int) -> dict[str, Figure]:
    from liftrisk.processing import butter_lowpass

    n, k = 60_000, 33
    rng = np.random.default_rng(0)
    t = np.arange(n) / 100.0
    pos = np.sin(2 * np.pi * 0.5 * t)[:, None, None] + 0.01 * rng.normal(size=(n, k, 3))
    s = best_time(lambda: butter_lowpass(pos, 100.0, 6.0), repeat)
    return {"butter_lowpass": (pos.size / s / 1e6, "M samples/s", "higher")}


@figure_group("kinetics")
def _kinetics(repeat: int) -> dict[str, Figure]:
    from liftrisk.core import HandLoad, Subject
    from liftrisk.kinetics import bottom_up, top_down_l5s1, whole_body_ground_reaction
    from liftrisk.kinetics.inverse_dynamics import demo_posture

    n = 20_000
    s, hl = Subject("male", 80.0, 1.78), HandLoad(10.0)
    base = demo_posture(n)
    t = np.arange(n) / 100.0
    pos = base.positions_m + 0.05 * np.sin(2 * np.pi * 0.3 * t)[:, None, None] * np.array([1.0, 0.0, 0.2])
    m = base.replace(positions_m=pos, time_s=t)
    gr = whole_body_ground_reaction(m, s, hl)
    td = best_time(lambda: top_down_l5s1(m, s, hl), repeat)
    bu = best_time(lambda: bottom_up(m, s, [gr], min_force_n=0.0), repeat)
    return {"top_down_l5s1": (n / td, "frames/s", "higher"), "bottom_up": (n / bu, "frames/s", "higher")}


@figure_group("risk")
def _risk(repeat: int) -> dict[str, Figure]:
    from liftrisk.risk.fuzzy_reba import fuzzy_reba
    from liftrisk.risk.reba import reba
    from liftrisk.risk.rula import rula

    n = 20_000
    rng = np.random.default_rng(0)
    ang = {"trunk_flexion_deg": rng.uniform(-30, 90, n), "neck_flexion_deg": rng.uniform(-20, 40, n),
           "upper_arm_flexion_deg": rng.uniform(-40, 130, n), "elbow_flexion_deg": rng.uniform(0, 150, n),
           "knee_flexion_deg": rng.uniform(0, 100, n), "trunk_twist_deg": rng.uniform(-20, 20, n),
           "upper_arm_abduction_deg": rng.uniform(0, 40, n), "wrist_flexion_deg": rng.uniform(-30, 30, n)}
    out = {}
    for name, fn in (("reba", reba), ("rula", rula), ("fuzzy_reba", fuzzy_reba)):
        out[name] = (n / best_time(lambda fn=fn: fn(ang, load_kg=8.0), repeat), "frames/s", "higher")
    return out


def _demo_motion():
    """The bundled demo lift (TRC + handlings sidecar) and its subject."""
    from importlib import resources

    from liftrisk.core import Subject
    from liftrisk.io import read_motion

    trc = resources.files("liftrisk").joinpath("data", "demo", "demo_lift.trc")
    with resources.as_file(trc) as p:
        motion = read_motion(p)
    return motion, Subject("male", 80.0, 1.78, age_years=40.0)


@figure_group("bodymodel")
def _bodymodel(repeat: int) -> dict[str, Figure]:
    from liftrisk.bodymodel import build_model, solve_ik
    from liftrisk.bodymodel.scaling import scale_geometry
    from liftrisk.core import Subject
    from liftrisk.core.skeletons import CANONICAL_POINTS
    from liftrisk.synthetic import synthetic_lift

    s = Subject("male", 80.0, 1.78)
    m = synthetic_lift(s)
    names = [n for n in m.point_names if n in CANONICAL_POINTS]
    n = 1500
    X = np.concatenate([m.points(names)] * int(np.ceil(n / m.n_frames)))[:n]
    X = X + np.random.default_rng(0).normal(scale=0.01, size=X.shape)
    model = build_model(s, scale_geometry(m, s).geometry)
    pts = {k: model.landmarks()[k] for k in names}
    dt = best_time(lambda: solve_ik(model, pts, X, np.ones(X.shape[:2])), repeat)
    return {"solve_ik_full_body": (n / dt, "frames/s", "higher")}


@figure_group("assessment")
def _assessment(repeat: int) -> dict[str, Figure]:
    from liftrisk.core import HandLoad
    from liftrisk.pipeline import assess_motion
    from liftrisk.report.html import write_report

    motion, subject = _demo_motion()
    hl = HandLoad(10.0)
    t = best_time(lambda: assess_motion(motion, subject, hl), repeat)
    a = assess_motion(motion, subject, hl)
    with tempfile.TemporaryDirectory() as d:
        r = best_time(lambda: write_report(a, Path(d) / "r.html"), repeat)
    return {"assess_demo_trc": (t, "s", "lower"), "write_report_demo": (r, "s", "lower"),
            "assess_demo_x_real_time": (motion.duration_s / t, "x real time", "higher")}


@figure_group("cli")
def _cli(repeat: int) -> dict[str, Figure]:
    cmd = [sys.executable, "-c", "import sys; from liftrisk.cli.main import main; sys.argv[0] = 'liftrisk'; main()",
           "--help"]
    env = {**os.environ}

    def run():
        subprocess.run(cmd, check=True, capture_output=True, env=env)
    return {"liftrisk_help": (best_time(run, repeat), "s", "lower")}


@figure_group("predict2d")
def _predict2d(repeat: int) -> dict[str, Figure]:
    from liftrisk.core import Subject
    from liftrisk.predict.problem2d import LiftTask, predict_max_weight

    s8 = Subject("male", 83.73, 1.82, age_years=28)  # Subject #8 of Zaman et al. 2021, Table 2
    t = best_time(lambda: predict_max_weight(s8, LiftTask()), 1)
    return {"predict_2d_max_weight": (t, "s", "lower")}


@figure_group("predict3d", full=True)
def _predict3d(repeat: int) -> dict[str, Figure]:
    """Subject #8, 50th percentile: the full 3D prediction from nothing (2D and 3D builds, all
    anchors, weighted solves; goal < 10 s), and the same prediction in a new process that finds
    the anchors in the on-disk cache (the CLI's second run for the same worker and task)."""
    import warnings

    from liftrisk.core import Subject
    from liftrisk.predict import PredictionWarning, problem3d

    s8 = Subject("male", 83.73, 1.82, age_years=28)
    fn = getattr(problem3d, "predict_max_weight_3d", None)
    if fn is None:
        raise RuntimeError("liftrisk.predict.problem3d.predict_max_weight_3d not found")
    out: dict[str, Figure] = {}
    with warnings.catch_warnings(), tempfile.TemporaryDirectory() as d:
        warnings.simplefilter("ignore", PredictionWarning)
        names = fn.__code__.co_varnames      # older revisions lack the anchor caches
        cached = "anchor_cache" in names
        kw = {"anchor_cache": d} if cached else {}
        kw.update({"reuse_anchors": False} if "reuse_anchors" in names else {})
        out["predict_3d_max_weight"] = (best_time(lambda: fn(s8, **kw), 1), "s", "lower")
        if cached:
            def from_disk():
                problem3d._ANCHORS.clear()      # as in a new process: nothing kept in memory
                return fn(s8, anchor_cache=d)
            out["predict_3d_cached_anchors"] = (best_time(from_disk, repeat), "s", "lower")
    return out


@figure_group("video", full=True)
def _video(repeat: int) -> dict[str, Figure]:
    from importlib import resources

    import cv2

    from liftrisk.core import Subject
    from liftrisk.pipeline import assess_video

    clip = resources.files("liftrisk").joinpath("data", "demo_video", "sports2d_demo4_walk.mp4")
    with resources.as_file(clip) as p:
        cap = cv2.VideoCapture(str(p))
        dur = cap.get(cv2.CAP_PROP_FRAME_COUNT) / cap.get(cv2.CAP_PROP_FPS)
        cap.release()
        s = Subject("male", 70.0, 1.75)
        t = best_time(lambda: assess_video(p, s), 1)
    return {"assess_demo_video": (t, "s", "lower"), "assess_demo_video_x_real_time": (dur / t, "x real time",
                                                                                       "higher")}


@figure_group("batch", full=True)
def _batch(repeat: int) -> dict[str, Figure]:
    """Recordings per minute over 8 different synthetic lifts (3 lifts each, 1 mm marker noise,
    different seeds), 2 workers: local processes, a Dask local cluster, Ray."""
    from liftrisk.batch import run_batch
    from liftrisk.core import Subject
    from liftrisk.io import write_trc
    from liftrisk.synthetic import synthetic_lift

    out: dict[str, Figure] = {}
    n = 8
    subject = Subject("male", 80.0, 1.78)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in"
        src.mkdir()
        for i in range(n):
            m = synthetic_lift(subject, 10.0, n_lifts=3, noise_m=0.001, seed=i)
            write_trc(m.select([k for k in m.point_names if k != "box"]), src / f"lift{i}.trc")
        defaults = {"sex": "male", "mass_kg": 80.0, "height_m": 1.78, "box_mass_kg": 10.0}
        for ex in ("local", "dask", "ray"):
            if ex != "local" and importlib.util.find_spec(ex) is None:
                continue
            t0 = time.perf_counter()
            rep = run_batch(src, Path(d) / f"out_{ex}", executor=ex, workers=2, defaults=defaults)
            dt = time.perf_counter() - t0
            if rep.failed or rep.done != n:
                raise RuntimeError(f"batch {ex}: {rep.done} of {n} done, failures {rep.failures[:2]}, "
                                   f"duplicates {rep.duplicates[:2]}")
            out[f"batch_{ex}_2_workers"] = (60.0 * n / dt, "recordings/min", "higher")
    return out


def _plugin_groups() -> None:
    """Register benchmarks/bench_*.py modules that offer ``figures() -> {name: (value, unit[, better])}``
    (run only with --full; they may take minutes)."""
    for path in sorted(HERE.glob("bench_*.py")):
        src = path.read_text(encoding="utf-8")
        if "\ndef figures(" not in src:
            continue
        name = path.stem.removeprefix("bench_")

        def fn(repeat: int, path=path) -> dict[str, Figure]:
            spec = importlib.util.spec_from_file_location(f"_bench_{path.stem}", path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            res = mod.figures()
            return {k: (float(v[0]), str(v[1]), v[2] if len(v) > 2 else ("lower" if v[1] in ("s", "ms", "MiB", "MB")
                                                                          else "higher")) for k, v in res.items()}
        REGISTRY.setdefault(f"bench_{name}", (fn, True))


# ---------------------------------------------------------------------------- running and comparing
def measure(groups: list[str], repeat: int) -> dict:
    """Run the figure groups; returns {"reference_s", "figures": {name: {...}}, "errors": {...}}."""
    ref = reference_workload_s()
    figures, errors = {}, {}
    for g in groups:
        fn, _full = REGISTRY[g]
        t0 = time.perf_counter()
        try:
            res = fn(repeat)
        except Exception as e:  # a benchmark that cannot run is a finding, reported, not a crash
            errors[g] = f"{type(e).__name__}: {e}"
            continue
        for k, (v, unit, better) in res.items():
            figures[f"{g}.{k}"] = {"value": float(v), "unit": unit, "better": better}
        print(f"  {g}: {len(res)} figures in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return {"reference_s": ref, "figures": figures, "errors": errors,
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "python": platform.python_version(),
                        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}}


def cost_ratio(now: dict, then: dict, speed: float = 1.0) -> float:
    """now/then as a cost (> 1 = worse), with `speed` = reference time now / then."""
    a, b = now["value"], then["value"]
    if not (np.isfinite(a) and np.isfinite(b)) or a <= 0 or b <= 0:
        return float("nan")
    r = a / b if now["better"] == "lower" else b / a
    return r / speed


def measure_revision(rev: str, groups: list[str], repeat: int) -> dict:
    """The same figures for git revision `rev`, in a subprocess on a temporary worktree."""
    tmp = Path(tempfile.mkdtemp(prefix="liftrisk-bench-"))
    wt = tmp / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), rev], check=True,
                   capture_output=True)
    try:
        out = tmp / "figures.json"
        env = {**os.environ, "PYTHONPATH": str(wt / "src")}
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--only", ",".join(groups), "--repeat",
                        str(repeat), "--json", str(out), "--no-compare"], check=False, env=env, cwd=tmp)
        return json.loads(out.read_text()) if out.exists() else {"figures": {}, "errors": {"*": "no output"}}
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def table(now: dict, base: dict | None, tolerance: float, direct: bool) -> tuple[list[dict], bool]:
    """Rows (figure, value, unit, baseline, ratio, verdict) and whether any figure is worse than allowed."""
    speed = 1.0 if direct or base is None else now["reference_s"] / base.get("reference_s", now["reference_s"])
    rows, bad = [], False
    for name, f in now["figures"].items():
        then = (base or {}).get("figures", {}).get(name)
        ratio = cost_ratio(f, then, speed) if then else float("nan")
        verdict = "" if not np.isfinite(ratio) else ("WORSE" if ratio > 1 + tolerance else
                                                     "better" if ratio < 1 / (1 + tolerance) else "ok")
        bad |= verdict == "WORSE"
        rows.append({"figure": name, "value": f["value"], "unit": f["unit"], "better": f["better"],
                     "baseline": then["value"] if then else float("nan"), "cost_ratio": ratio, "verdict": verdict})
    return rows, bad


def print_table(rows: list[dict], now: dict, base_label: str, speed: float | None) -> None:
    la = now["machine"].get("load_average")
    print(f"\nliftrisk benchmarks: {now['machine']['cpus']} CPUs, load average {la if la is None else round(la, 1)}, "
          f"reference workload {now['reference_s'] * 1e3:.0f} ms; baseline: {base_label}"
          + (f" (machine-speed correction x{speed:.2f})" if speed else ""))
    w = max([len(r["figure"]) for r in rows] + [6])
    print(f"{'figure':{w}s} {'value':>12s} {'unit':14s} {'baseline':>12s} {'cost':>6s}  verdict")
    for r in rows:
        base = f"{r['baseline']:12.4g}" if np.isfinite(r["baseline"]) else f"{'n/a':>12s}"
        ratio = f"{r['cost_ratio']:6.2f}" if np.isfinite(r["cost_ratio"]) else f"{'':6s}"
        print(f"{r['figure']:{w}s} {r['value']:12.4g} {r['unit']:14s} {base} {ratio}  {r['verdict']}")
    for g, e in now["errors"].items():
        print(f"{g}: FAILED to run: {e}")


def main(argv: list[str] | None = None) -> int:
    _plugin_groups()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also the slow groups (video, 3D, batch, bench_*.py)")
    ap.add_argument("--only", help="comma-separated groups: " + ", ".join(REGISTRY))
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    ap.add_argument("--against", metavar="REV", help="compare with git revision REV measured in this run")
    ap.add_argument("--baseline", type=Path, default=BASELINE, help="stored baseline file")
    ap.add_argument("--save-baseline", action="store_true", help="write the figures to --baseline")
    ap.add_argument("--tolerance", type=float, default=0.30, help="allowed cost ratio above 1 (default 0.30)")
    ap.add_argument("--out", type=Path, help="also write the table as CSV")
    ap.add_argument("--json", type=Path, help="write the raw figures as JSON")
    ap.add_argument("--no-compare", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.only:
        groups = [g.strip() for g in args.only.split(",") if g.strip()]
        unknown = [g for g in groups if g not in REGISTRY]
        if unknown:
            ap.error(f"unknown group(s) {unknown}; known: {', '.join(REGISTRY)}")
    else:
        groups = [g for g, (_, full) in REGISTRY.items() if args.full or not full]
    now = measure(groups, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(now, indent=1))
    if args.no_compare:
        return 0
    if args.save_baseline:
        if args.baseline.exists() and args.only:  # keep the other groups' stored figures
            old = json.loads(args.baseline.read_text())
            old["figures"].update(now["figures"])
            now = {**now, "figures": old["figures"]}
        args.baseline.write_text(json.dumps(now, indent=1) + "\n")
        print(f"baseline written: {args.baseline}", file=sys.stderr)
    if args.against:
        base = measure_revision(args.against, groups, args.repeat)
        label, direct = f"revision {args.against} measured in this run", True
    elif args.baseline.exists() and not args.save_baseline:
        base, label, direct = json.loads(args.baseline.read_text()), str(args.baseline.relative_to(ROOT)
                                                                          if args.baseline.is_relative_to(ROOT)
                                                                          else args.baseline), False
    else:
        base, label, direct = None, "none", True
    rows, bad = table(now, base, args.tolerance, direct)
    speed = None if direct or base is None else now["reference_s"] / base["reference_s"]
    print_table(rows, now, label, speed)
    if args.out:
        with args.out.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["figure"])
            w.writeheader()
            w.writerows(rows)
    return 1 if bad or now["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
