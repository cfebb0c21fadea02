"""Benchmark of the risk methods (run on demand): frames/s of crisp REBA, RULA, vectorised fuzzy
REBA and the per-frame scikit-fuzzy reference, and the fuzzy-vs-crisp Spearman correlation
over synthetic lifting recordings (and the OpenSim gait2354 walk when ../shared/data exists).

    python benchmarks/bench_risk.py [--frames 20000] [--ref-frames 200]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from liftrisk.core.subject import Subject
from liftrisk.risk.fuzzy_reba import fuzzy_reba, fuzzy_reba_reference
from liftrisk.risk.posture import posture_from_motion
from liftrisk.risk.reba import reba
from liftrisk.risk.rula import rula


def random_angles(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {"trunk_flexion_deg": rng.uniform(-30, 90, n), "neck_flexion_deg": rng.uniform(-20, 40, n),
            "upper_arm_flexion_deg": rng.uniform(-40, 130, n), "elbow_flexion_deg": rng.uniform(0, 150, n),
            "knee_flexion_deg": rng.uniform(0, 100, n), "trunk_twist_deg": rng.uniform(-20, 20, n),
            "upper_arm_abduction_deg": rng.uniform(0, 40, n), "wrist_flexion_deg": rng.uniform(-30, 30, n)}


def rate(fn, angles, n, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(angles, load_kg=8.0)
        best = min(best, time.perf_counter() - t0)
    return n / best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=20000)
    ap.add_argument("--ref-frames", type=int, default=200)
    args = ap.parse_args()
    big = random_angles(args.frames)
    small = random_angles(args.ref_frames, seed=1)
    print(f"frames/s over {args.frames} random frames (best of 3):")
    print(f"  REBA crisp             {rate(reba, big, args.frames):12.0f}")
    print(f"  RULA crisp             {rate(rula, big, args.frames):12.0f}")
    print(f"  fuzzy REBA (NumPy)     {rate(fuzzy_reba, big, args.frames):12.0f}")
    ref = rate(fuzzy_reba_reference, small, args.ref_frames, repeat=1)
    print(f"  fuzzy REBA (skfuzzy)   {ref:12.0f}   ({args.ref_frames} frames)")
    fast = fuzzy_reba(small, load_kg=8.0).to_numpy()
    slow = fuzzy_reba_reference(small, load_kg=8.0).to_numpy()
    print(f"  max |NumPy - skfuzzy|  {np.abs(fast - slow).max():.2e}")

    from liftrisk.synthetic import synthetic_lift

    print("Spearman fuzzy REBA vs crisp REBA (worse arm per frame):")
    subject = Subject("male", 75.0, 1.78)
    for style in ("squat", "stoop"):
        m = synthetic_lift(subject, origin_m=(0.40, 0.25), destination_m=(0.45, 0.95), asymmetry_deg=30.0,
                           n_lifts=3, style=style)
        m = m.select([n for n in m.point_names if n != "box"])
        s = posture_from_motion(m, load_kg=10.0, coupling="fair")
        rho = spearmanr(s["reba"], s["fuzzy_reba"]).statistic
        print(f"  synthetic_lift {style:5s} 3 lifts, {m.n_frames} frames: {rho:.3f}")
    walk = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "opensim_gait2354"
    if walk.is_dir():
        from liftrisk.io import read_motion
        from liftrisk.kinematics.joint_centres import joint_centres_from_markers

        m = joint_centres_from_markers(read_motion(walk / "subject01_walk1.trc"),
                                       static=read_motion(walk / "subject01_static.trc"))
        s = posture_from_motion(m)
        print(f"  OpenSim gait2354 walk1, {m.n_frames} frames: {spearmanr(s['reba'], s['fuzzy_reba']).statistic:.3f}")


if __name__ == "__main__":
    main()
