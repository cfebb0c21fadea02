"""Throughput of liftrisk's vectorised inverse dynamics (frames per second).

Run: python benchmarks/bench_kinetics.py [n_frames]   (default 100000)

Builds a noise-free 3D lifting-like motion (trunk flexion and twist about L5/S1, swinging
arms, bending knees) of n_frames at 100 Hz, its consistent whole-body ground reaction, and
times `top_down_l5s1` (with a 10 kg box, incl. shoulder/elbow/wrist loads) and `bottom_up`
(ankles, knees, hips, L5/S1). Best of 3 runs; prints frames/s and the top-down vs bottom-up
L5/S1 agreement as a sanity check.
"""

from __future__ import annotations

import sys
import time

import numpy as np


def moving_lift(n: int, rate_hz: float = 100.0):
    from liftrisk.kinetics.inverse_dynamics import demo_posture

    t = np.arange(n) / rate_hz
    base = demo_posture(n)
    pos = base.positions_m.copy()
    names = base.point_names
    th = 0.5 * np.sin(2 * np.pi * 0.2 * t)
    tw = 0.3 * np.sin(2 * np.pi * 0.13 * t + 0.5)
    l5 = base["l5s1"][0]
    for i, nm in enumerate(names):
        if nm in ("head", "neck") or nm[2:] in ("shoulder", "elbow", "wrist", "hand"):
            v = pos[:, i] - l5
            x = np.cos(th) * v[:, 0] + np.sin(th) * v[:, 2]
            z = -np.sin(th) * v[:, 0] + np.cos(th) * v[:, 2]
            y = v[:, 1]
            pos[:, i] = l5 + np.stack([np.cos(tw) * x - np.sin(tw) * y, np.sin(tw) * x + np.cos(tw) * y, z], 1)
        if nm.endswith("knee"):
            pos[:, i, 0] += 0.08 * np.sin(2 * np.pi * 0.3 * t) ** 2
    return base.replace(positions_m=pos, time_s=t)


def best_of(fn, repeats: int = 3) -> tuple[float, float]:
    """Best wall time and best process CPU time (s) over `repeats` runs. On a shared,
    oversubscribed machine the CPU time is the fairer figure (it excludes waiting for a core)."""
    best_wall, best_cpu = np.inf, np.inf
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best_wall, best_cpu


def main(n: int = 100_000) -> None:
    from liftrisk.core import HandLoad, Subject
    from liftrisk.kinetics import bottom_up, top_down_l5s1, whole_body_ground_reaction

    s = Subject("male", 80.0, 1.78)
    m = moving_lift(n)
    hl = HandLoad(10.0)
    gr = whole_body_ground_reaction(m, s, hl)
    td_l5 = best_of(lambda: top_down_l5s1(m, s, hl, joints=False))
    td = best_of(lambda: top_down_l5s1(m, s, hl))
    bu = best_of(lambda: bottom_up(m, s, [gr], min_force_n=0.0))
    a = top_down_l5s1(m, s, hl)["l5s1_extension_moment_nm"].to_numpy()
    b = bottom_up(m, s, [gr], min_force_n=0.0)["l5s1_extension_moment_nm"].to_numpy()
    import os

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"frames: {n}; {os.cpu_count()} CPUs, load average {load:.1f}")
    for label, (wall, cpu) in (("top_down_l5s1 (L5/S1 only)", td_l5), ("top_down_l5s1 (+ arm joints)", td),
                               ("bottom_up (ankles..hips + L5/S1)", bu)):
        print(f"{label:34s} wall {n / wall:12,.0f} frames/s ({wall * 1e3:5.0f} ms); "
              f"CPU time {n / cpu:12,.0f} frames/s ({cpu * 1e3:5.0f} ms)")
    print(f"top-down vs bottom-up L5/S1 extension moment, max |diff|: {np.abs(a - b).max():.2e} N·m")


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 100_000)
