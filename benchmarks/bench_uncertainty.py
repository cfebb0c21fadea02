"""Cost of the uncertainty bands relative to one assessment.

Run: python benchmarks/bench_uncertainty.py [--draws 200] [--ik]

A 3.4 s synthetic lift at 60 Hz (205 frames, 10 mm noise). Times `assess_motion` (one
assessment, no bands; with the body-model stage, the default) and then the Monte Carlo bands
(`liftrisk.uncertainty.propagate` as `Assessment.uncertainty` runs it); best of 3 each;
prints both and their ratio. The target of issue 12 is a ratio of at most 3. ``--ik``: also
the bands with every draw through the body-model fit (``body_model_draws=True``, best of 1).

`figures()` gives the same numbers to benchmarks/run_all.py.
"""

from __future__ import annotations

import argparse
import time


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


def figures() -> dict[str, tuple[float, str]]:
    """Figures for benchmarks/run_all.py: seconds of one assessment, of its 200-draw bands, and
    their ratio (bands / assessment; issue 12's target is at most 3)."""
    r = measure()
    return {"assessment_s": (r["assessment_s"], "s"), "bands_200_draws_s": (r["bands_s"], "s"),
            "bands_cost_ratio": (r["bands_s"] / r["assessment_s"], "x", "lower")}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--draws", type=int, default=200)
    p.add_argument("--ik", action="store_true", help="also time the bands with every draw through the body model")
    args = p.parse_args(argv)
    r = measure(args.draws, ik=args.ik)
    s, b = r["assessment_s"], r["bands_s"]
    print(f"{r['n_frames']} frames, {args.draws} draws: assessment {s:.3f} s, bands {b:.3f} s, "
          f"ratio {b / s:.1f} (bands / assessment), total {(s + b) / s:.1f}x")
    if "bands_ik_s" in r:
        print(f"bands with every draw through the body-model fit: {r['bands_ik_s']:.2f} s, "
              f"ratio {r['bands_ik_s'] / s:.1f}")


if __name__ == "__main__":
    main()
