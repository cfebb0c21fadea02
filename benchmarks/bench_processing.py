"""Throughput of liftrisk's signal processing and readers.

Run: python benchmarks/bench_processing.py [n_frames]   (default 60000 = 10 min at 100 Hz)

Times (best of 3) on a (n_frames, 33 points, 3) motion at 100 Hz:
* `butter_lowpass` (6 Hz, zero-lag 4th order) without gaps, and with 1 % of the samples
  missing in 0.05-0.5 s gaps (each finite run filtered on its own);
* `fill_gaps` (cubic, gaps up to 0.2 s);
* `resample` 100 Hz -> 60 Hz (anti-aliased) and 600 Hz ground reaction -> 60 Hz;
and, when ../shared/data is present, the TRC / GRF MOT / C3D readers on the real files.
Prints samples (point coordinates x frames) per second.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np


def best_of(fn, n=3):
    out, best = None, np.inf
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(n_frames: int = 60_000) -> None:
    from liftrisk.core import GroundReaction, Motion
    from liftrisk.processing import butter_lowpass, fill_gaps, resample

    rng = np.random.default_rng(0)
    t = np.arange(n_frames) / 100.0
    k = 33
    pos = (np.sin(2 * np.pi * 0.5 * t)[:, None, None] + 0.01 * rng.normal(size=(n_frames, k, 3)))
    gappy = pos.copy()
    n_gaps = int(0.01 * n_frames * k / 20)
    for _ in range(n_gaps):
        a = rng.integers(0, n_frames - 50)
        gappy[a:a + rng.integers(5, 50), rng.integers(0, k)] = np.nan
    n_samples = pos.size
    print(f"motion: {n_frames} frames x {k} points x 3 at 100 Hz ({n_samples / 1e6:.1f} M samples), "
          f"{100 * np.isnan(gappy).mean():.2f} % missing in {n_gaps} gaps")

    s, _ = best_of(lambda: butter_lowpass(pos, 100.0, 6.0))
    print(f"butter_lowpass, no gaps:      {s * 1e3:8.1f} ms  ({n_samples / s / 1e6:6.1f} M samples/s)")
    s, _ = best_of(lambda: butter_lowpass(gappy, 100.0, 6.0))
    print(f"butter_lowpass, with gaps:    {s * 1e3:8.1f} ms  ({n_samples / s / 1e6:6.1f} M samples/s)")
    m = Motion(time_s=t, positions_m=gappy, point_names=tuple(f"p{i}" for i in range(k)), rate_hz=100.0)
    s, filled = best_of(lambda: fill_gaps(m, 0.2))
    print(f"fill_gaps cubic <= 0.2 s:     {s * 1e3:8.1f} ms  ({n_samples / s / 1e6:6.1f} M samples/s), "
          f"missing left {100 * np.isnan(filled.positions_m).mean():.3f} %")
    s, r = best_of(lambda: resample(m.replace(positions_m=pos), rate_hz=60.0))
    print(f"resample 100 -> 60 Hz:        {s * 1e3:8.1f} ms  ({n_samples / s / 1e6:6.1f} M samples/s)")
    tg = np.arange(n_frames * 6) / 600.0
    g = GroundReaction(time_s=tg, force_n=np.column_stack([0 * tg, 0 * tg, 700 + 100 * np.sin(tg)]),
                       cop_m=np.zeros((tg.size, 3)))
    s, _ = best_of(lambda: resample(g, time_s=r.time_s))
    print(f"GRF 600 -> 60 Hz ({tg.size} samples): {s * 1e3:8.1f} ms")

    data = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    if data.is_dir():
        from liftrisk.io import read_c3d, read_opensim_grf, read_trc
        for label, fn in (
            ("read_trc gait2354 walk (151 x 41)", lambda: read_trc(data / "opensim_gait2354/subject01_walk1.trc")),
            ("read_opensim_grf (1501 rows)",
             lambda: read_opensim_grf(data / "opensim_gait2354/subject01_walk1_grf.mot")),
            ("read_c3d c3d.org sample01", lambda: read_c3d(data / "kineticstoolkit/c3dorg_sample01_Eb015pr.c3d")),
        ):
            s, _ = best_of(fn)
            print(f"{label}: {s * 1e3:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60_000)
