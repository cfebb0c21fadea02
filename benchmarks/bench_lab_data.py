"""Benchmark of the lab-recording front end (run on demand, prints figures).

    python benchmarks/bench_lab_data.py [--frames 36000]

Times (best of 3) for N frames (default 36 000 = 12 min at 50 Hz) of a Plug-in Gait marker set
(38 markers, a moving body built from a synthetic lift): Plug-in Gait joint centres (Davis hips,
chord-function knees and ankles, shoulders, L5/S1, hands); reading a 13-column force-plate CSV
with its description; the object plate's events and measured hand load.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from liftrisk.core import Motion, Subject
from liftrisk.io import plate_spec, read_force_plates_csv
from liftrisk.kinematics import joint_centres_from_markers
from liftrisk.kinetics.object_plate import hand_load_from_object_plates
from liftrisk.synthetic import synthetic_lift


def _best(fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _pig_markers(body: Motion) -> Motion:
    """Plug-in Gait-like markers placed around the synthetic body's joint centres."""
    b = {n: body[n] for n in body.point_names}
    mid = b["mid_hip"]
    side = b["l_hip"] - b["r_hip"]
    fwd = np.cross(side, [0.0, 0.0, 1.0])
    fwd /= np.linalg.norm(fwd, axis=1, keepdims=True)
    pts = {"LASI": mid + 0.7 * side + 0.06 * fwd + [0, 0, 0.08], "RASI": mid - 0.7 * side + 0.06 * fwd + [0, 0, 0.08],
           "LPSI": mid + 0.25 * side - 0.1 * fwd + [0, 0, 0.1], "RPSI": mid - 0.25 * side - 0.1 * fwd + [0, 0, 0.1],
           "C7": b["neck"] - 0.06 * fwd, "CLAV": b["neck"] + 0.08 * fwd - [0, 0, 0.05],
           "STRN": b["neck"] + 0.1 * fwd - [0, 0, 0.22], "T10": b["neck"] - 0.1 * fwd - [0, 0, 0.22]}
    for s, sign in (("L", 1.0), ("R", -1.0)):
        lo = s.lower()
        lat = sign * side / np.linalg.norm(side, axis=1, keepdims=True)
        pts.update({f"{s}SHO": b[f"{lo}_shoulder"] + [0, 0, 0.04], f"{s}ELB": b[f"{lo}_elbow"] + 0.03 * lat,
                    f"{s}WRA": b[f"{lo}_wrist"] + 0.02 * fwd, f"{s}WRB": b[f"{lo}_wrist"] - 0.02 * fwd,
                    f"{s}FIN": b[f"{lo}_hand"], f"{s}THI": 0.5 * (b[f"{lo}_hip"] + b[f"{lo}_knee"]) + 0.07 * lat,
                    f"{s}KNE": b[f"{lo}_knee"] + 0.057 * lat,
                    f"{s}TIB": 0.5 * (b[f"{lo}_knee"] + b[f"{lo}_ankle"]) + 0.05 * lat,
                    f"{s}ANK": b[f"{lo}_ankle"] + 0.042 * lat, f"{s}HEE": b[f"{lo}_heel"], f"{s}TOE": b[f"{lo}_toe"],
                    f"{s}FHD": b["head"] + 0.08 * fwd + 0.07 * lat, f"{s}BHD": b["head"] - 0.08 * fwd + 0.07 * lat})
    return Motion.from_points(pts, time_s=body.time_s)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=36_000)
    args = ap.parse_args(argv)
    rate = 50.0
    n = args.frames
    body = synthetic_lift(Subject("male", 80.0, 1.78), n_lifts=max(1, int(n / rate / 6)),
                          duration_s=(n - 1) / rate, rate_hz=rate)
    pig = _pig_markers(body)
    t_jc, jc = _best(lambda: joint_centres_from_markers(pig, "plugin_gait", measurements={"leg_length_mm": 900.0}))
    print(f"Plug-in Gait joint centres: {n} frames in {t_jc:.3f} s = {n / t_jc:,.0f} frames/s "
          f"({jc.n_points} canonical points)")
    t = body.time_s
    rows = np.zeros((n, 13))
    rows[:, 0] = t
    rows[:, 3] = np.where((t % 6.0) > 2.0, -147.0, 0.0)
    rows[:, 9] = 800.0
    rows[:, 10] = 0.05
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "plates.csv"
        np.savetxt(f, rows, delimiter=",", fmt="%.6g")
        spec = plate_spec([{"name": "box", "role": "object", "force": [2, 3, 4], "cop": [5, 6, 7]},
                           {"name": "floor", "role": "feet", "force": [8, 9, 10], "cop": [11, 12, 13]}],
                          time_column=1, rate_hz=rate)
        t_csv, plates = _best(lambda: read_force_plates_csv(f, spec))
    print(f"force-plate CSV (13 columns): {n} rows in {t_csv:.3f} s = {n / t_csv:,.0f} rows/s")
    t_obj, res = _best(lambda: hand_load_from_object_plates(plates.objects, jc))
    print(f"object plate events + hand load: {n} frames in {t_obj:.3f} s = {n / t_obj:,.0f} frames/s "
          f"({len(res.handlings)} handlings)")


if __name__ == "__main__":
    main()
