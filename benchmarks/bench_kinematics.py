"""Benchmark of the kinematics and synthetic areas (run on demand, prints figures).

    python benchmarks/bench_kinematics.py [--frames 36000]

Times (best of 3) for a synthetic lift of N frames (default 36 000 = 10 min at 60 Hz):
generating it, canonical joint centres + L5/S1, segment frames, joint angles and segment
velocities/accelerations; prints frames per second for each.
"""

from __future__ import annotations

import argparse
import time

from liftrisk.core import Subject
from liftrisk.kinematics import ANGLE_COLUMNS, canonical_joint_centres, joint_angles, segment_frames, segment_kinematics
from liftrisk.synthetic import synthetic_lift


def _best(fn, repeat: int = 3):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=36_000)
    ap.add_argument("--rate-hz", type=float, default=60.0)
    args = ap.parse_args(argv)
    subj = Subject("male", 80.0, 1.78)
    n_h = max(1, int(args.frames / args.rate_hz / 3.0) | 1)
    n_lifts = (n_h + 1) // 2
    dur = (args.frames - 1) / args.rate_hz
    t_gen, m = _best(lambda: synthetic_lift(subj, n_lifts=n_lifts, duration_s=dur, rate_hz=args.rate_hz,
                                            noise_m=0.001), 1)
    body = m.select([p for p in m.point_names if p not in ("l5s1", "box")])
    rows = [("synthetic_lift", t_gen)]
    rows.append(("canonical_joint_centres (+L5/S1)", _best(lambda: canonical_joint_centres(body))[0]))
    rows.append(("segment_frames (15 segments)", _best(lambda: segment_frames(m))[0]))
    rows.append((f"joint_angles ({len(ANGLE_COLUMNS)} columns)", _best(lambda: joint_angles(m))[0]))
    rows.append(("segment_kinematics (15 segments, savgol)", _best(lambda: segment_kinematics(m))[0]))
    print(f"{m.n_frames} frames, {m.n_points} points, {m.rate_hz:g} Hz ({m.duration_s / 60:.1f} min)")
    for name, t in rows:
        print(f"{name:<42} {t * 1000:9.1f} ms  {m.n_frames / t:12,.0f} frames/s")


if __name__ == "__main__":
    main()
