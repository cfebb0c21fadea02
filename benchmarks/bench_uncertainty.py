"""Cost of the uncertainty bands relative to one assessment.

Run: python benchmarks/bench_uncertainty.py [n_draws]   (default 200)

A 3.4 s synthetic lift at 60 Hz (205 frames, 10 mm noise). Times `assess_motion` (one
assessment, no bands) and then `Assessment.uncertainty` (the Monte Carlo bands); best of 3
each; prints both and their ratio. The target of issue 12 is a ratio of at most 3.
"""

from __future__ import annotations

import sys
import time


def main(n_draws: int = 200) -> None:
    from liftrisk.core.settings import AssessmentSettings
    from liftrisk.core.subject import Subject
    from liftrisk.pipeline import assess_motion
    from liftrisk.synthetic import synthetic_lift

    subj = Subject("male", 80.0, 1.78)
    m = synthetic_lift(subj, 10.0, noise_m=0.01, rate_hz=60.0, still_s=0.5)
    st = AssessmentSettings(uncertainty_draws=n_draws)
    single, bands = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        a = assess_motion(m, subj, 10.0, st)
        t1 = time.perf_counter()
        _ = a.uncertainty
        t2 = time.perf_counter()
        single.append(t1 - t0)
        bands.append(t2 - t1)
    s, b = min(single), min(bands)
    print(f"{m.n_frames} frames, {n_draws} draws: assessment {s:.3f} s, bands {b:.3f} s, "
          f"ratio {b / s:.1f} (bands / assessment), total {(s + b) / s:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
