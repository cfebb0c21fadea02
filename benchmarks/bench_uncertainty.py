"""Cost of the uncertainty bands relative to one assessment, and peak memory vs recording length.

Run: python benchmarks/bench_uncertainty.py [--draws 200] [--ik]
     python benchmarks/bench_uncertainty.py --memory [MINUTES ...]   # default 1 5 10

A 3.4 s synthetic lift at 60 Hz (205 frames, 10 mm noise). Times `assess_motion` (one
assessment, no bands; with the body-model stage, the default) and then the Monte Carlo bands
(`liftrisk.uncertainty.propagate` as `Assessment.uncertainty` runs it); best of 3 each;
prints both and their ratio. The target of issue 12 is a ratio of at most 3. ``--ik``: also
the bands with every draw through the body-model fit (``body_model_draws=True``, best of 1).

``--memory``: each length in a fresh process, a synthetic recording at 30 Hz (the 28 s
six-lift synthetic recording played forward and backward to the length, 10 mm of point
noise: about 4 lifts a minute) through `assess_motion` (body model on), its 200-draw bands and
the HTML report; prints the peak RSS (``ru_maxrss`` of the child) after the assessment, after
the bands and after the report, with the wall time of each.

`figures()` gives the cost figures and the peak memory of a 1-minute recording with bands to
benchmarks/run_all.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path


def _case(n_draws: int):
    from liftrisk.core.settings import AssessmentSettings
    from liftrisk.core.subject import Subject
    from liftrisk.synthetic import synthetic_lift

    subj = Subject("male", 80.0, 1.78)
    m = synthetic_lift(subj, 10.0, noise_m=0.01, rate_hz=60.0, still_s=0.5)
    return subj, m, AssessmentSettings(uncertainty_draws=n_draws)


def _bands(a, body_model_draws: bool = False):
    from liftrisk.uncertainty import propagate

    return propagate(a.raw_points, a.subject, a.hand_load, a.settings, kind=a.input_kind, holds_s=a.holds_s,
                     lifts=[la.lift for la in a.lifts], detect_holds=not a.settings.lift_times_s,
                     body_model_draws=body_model_draws)


def measure(n_draws: int = 200, repeat: int = 3, ik: bool = False) -> dict:
    """Seconds of one assessment and of its bands (best of `repeat`), and with `ik` of the
    bands through the body model (one run)."""
    from liftrisk.pipeline import assess_motion

    subj, m, st = _case(n_draws)
    single, bands = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        a = assess_motion(m, subj, 10.0, st)
        t1 = time.perf_counter()
        _bands(a)
        t2 = time.perf_counter()
        single.append(t1 - t0)
        bands.append(t2 - t1)
    out = {"n_frames": m.n_frames, "assessment_s": min(single), "bands_s": min(bands)}
    if ik:
        t0 = time.perf_counter()
        _bands(a, body_model_draws=True)
        out["bands_ik_s"] = time.perf_counter() - t0
    return out


_SRC = Path(__file__).resolve().parents[1] / "src"

#: Child process of `memory_run`: argv minutes, draws; prints one line per stage.
_CHILD = """
import sys, time, resource
import numpy as np
from liftrisk.core.motion import Motion
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.pipeline import assess_motion
from liftrisk.report import render_html
from liftrisk.synthetic import synthetic_lift

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

n, draws = int(round(float(sys.argv[1]) * 1800)), int(sys.argv[2])
subj = Subject("male", 80.0, 1.78)
base = synthetic_lift(subj, 10.0, rate_hz=30.0, still_s=1.0, n_lifts=6)
idx = np.resize(np.concatenate([np.arange(base.n_frames), np.arange(base.n_frames - 2, 0, -1)]), n)
pos = base.positions_m[idx] + 0.01 * np.random.default_rng(0).standard_normal((n, base.n_points, 3))
m = Motion(np.arange(n) / 30.0, pos, base.point_names, 30.0, source="looped synthetic lifts")
del pos, idx
print("frames", n, peak(), 0.0, flush=True)
t0 = time.perf_counter()
a = assess_motion(m, subj, 10.0, AssessmentSettings(uncertainty_draws=draws))
t1 = time.perf_counter()
print("assessment", len(a.lifts), peak(), t1 - t0, flush=True)
_ = a.uncertainty
t2 = time.perf_counter()
print("bands", draws, peak(), t2 - t1, flush=True)
html = render_html(a)
print("report", len(html), peak(), time.perf_counter() - t2, flush=True)
"""


def memory_run(minutes: float, draws: int = 200, echo: bool = False) -> dict:
    """Peak RSS (MiB) and wall time (s) of a `minutes`-long synthetic 30 Hz recording through
    the assessment, the bands and the report, in a fresh process (see the module docstring);
    `echo`: print each stage's line as it comes."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_SRC), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(minutes), str(draws)], stdout=subprocess.PIPE,
                            text=True, env=env)
    r = {"minutes": minutes, "draws": draws}
    for line in proc.stdout:
        key, count, rss, secs = line.split()
        r[f"{key}_peak_mib"], r[f"{key}_s"], r[f"{key}_n"] = float(rss), float(secs), int(count)
        if echo:
            print(f"  {minutes:g} min: {key} done ({count}), peak RSS {float(rss):.0f} MiB, {float(secs):.0f} s, "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    if proc.wait() != 0:
        raise RuntimeError(f"the {minutes:g}-minute run failed (exit {proc.returncode})")
    return r


def figures() -> dict[str, tuple[float, str]]:
    """Figures for benchmarks/run_all.py: seconds of one assessment, of its 200-draw bands, and
    their ratio (bands / assessment; issue 12's target is at most 3); peak RSS of a 1-minute
    30 Hz recording with the 200-draw bands and the report (`memory_run`)."""
    r = measure()
    mem = memory_run(1.0)
    return {"assessment_s": (r["assessment_s"], "s"), "bands_200_draws_s": (r["bands_s"], "s"),
            "bands_cost_ratio": (r["bands_s"] / r["assessment_s"], "x", "lower"),
            "peak_rss_1min_with_bands_mib": (mem["report_peak_mib"], "MiB", "lower")}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--draws", type=int, default=200)
    p.add_argument("--ik", action="store_true", help="also time the bands with every draw through the body model")
    p.add_argument("--memory", nargs="*", type=float, metavar="MINUTES",
                   help="peak RSS of recordings this long (default 1 5 10), each in a fresh process")
    args = p.parse_args(argv)
    if args.memory is not None:
        print(f"load average {os.getloadavg()[0]:.1f}; {args.draws} draws; synthetic recording at 30 Hz")
        for minutes in args.memory or (1.0, 5.0, 10.0):
            r = memory_run(minutes, args.draws, echo=True)
            print(f"{minutes:g} min ({r['frames_n']} frames, {r['assessment_n']} lifts): peak RSS after the "
                  f"assessment {r['assessment_peak_mib']:.0f} MiB ({r['assessment_s']:.0f} s), after the bands "
                  f"{r['bands_peak_mib']:.0f} MiB ({r['bands_s']:.0f} s), after the report "
                  f"{r['report_peak_mib']:.0f} MiB ({r['report_s']:.0f} s); load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
        return
    r = measure(args.draws, ik=args.ik)
    s, b = r["assessment_s"], r["bands_s"]
    print(f"{r['n_frames']} frames, {args.draws} draws: assessment {s:.3f} s, bands {b:.3f} s, "
          f"ratio {b / s:.1f} (bands / assessment), total {(s + b) / s:.1f}x")
    if "bands_ik_s" in r:
        print(f"bands with every draw through the body-model fit: {r['bands_ik_s']:.2f} s, "
              f"ratio {r['bands_ik_s'] / s:.1f}")


if __name__ == "__main__":
    main()
