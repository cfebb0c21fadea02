"""Median band widths (p95 - p05) and peak intervals of the uncertainty bands on one synthetic lift.

Run it under two checkouts to compare versions of the bands (the random streams differ between
versions, so compare within Monte Carlo error, e.g. two seeds each)::

    PYTHONPATH=OLD/src python benchmarks/band_widths.py --seeds 0 1
    PYTHONPATH=NEW/src python benchmarks/band_widths.py --seeds 0 1

The recording: `liftrisk.synthetic.synthetic_lift` (male 80 kg, 1.78 m, 10 kg box, 10 mm marker
noise, 60 Hz, seed 3), 200 draws, body model off (so that versions with and without the body
model in the draws draw the same way). Measured 2026-12-06 (docs/uncertainty.md).
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from liftrisk.core.loads import HandLoad
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.pipeline import assess_motion
from liftrisk.synthetic import synthetic_lift
from liftrisk.uncertainty import propagate

QUANTITIES = ("l5s1_extension_moment_nm", "compression_n", "ap_shear_n", "r_shoulder_flexion_moment_nm",
              "l_knee_extension_moment_nm")


def band_widths(seed: int, draws: int = 200) -> dict[str, float]:
    """Median band width of each quantity (its unit) and the first lift's LI interval, one seed."""
    subject = Subject("male", 80.0, 1.78)
    motion = synthetic_lift(subject, 10.0, noise_m=0.01, rate_hz=60.0, still_s=0.5, seed=3)
    settings = AssessmentSettings(uncertainty_draws=draws, body_model=False)
    a = assess_motion(motion, subject, 10.0, settings)
    u = propagate(a.raw_points, subject, HandLoad(10.0), replace(settings, uncertainty_seed=seed),
                  holds_s=a.holds_s, lifts=[la.lift for la in a.lifts], detect_holds=True)
    out = {q: float(np.nanmedian(u.bands[f"{q}_p95"] - u.bands[f"{q}_p05"])) for q in QUANTITIES}
    out["li_p05"], out["li_p95"] = (float(v) for v in u.lifts[["li_p05", "li_p95"]].iloc[0])
    return out


def main() -> None:
    """Print one row per seed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--draws", type=int, default=200)
    args = ap.parse_args()
    for seed in args.seeds:
        row = band_widths(seed, args.draws)
        print(f"seed {seed}: " + ", ".join(f"{k} {v:.3g}" for k, v in row.items()))


if __name__ == "__main__":
    main()
