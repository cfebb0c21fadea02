"""Top-down vs bottom-up L5/S1 loads on the real VU Amsterdam stoop lifts, in the form of
Mehrizi et al. 2019 (`liftrisk.metrics.compare_lifts`); the figures of docs/metrics.md.

    python benchmarks/compare_vua_stoop.py [../shared/data/vua_stoop_lifts/3D]

Each trial: Plug-in Gait markers (static trial for the leg length), the plate under the box
gives the hand load and the grasp, the plate under the feet the bottom-up chain. The lift
cycle is grasp (box plate) to the end of the recording (the box is not set down on a plate;
the recordings end 1.4-1.5 s after the grasp, standing with the box).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

from liftrisk.cli.compare import render
from liftrisk.core import Subject
from liftrisk.io import read_force_plates_csv, read_motion, read_plate_spec
from liftrisk.metrics import compare_lifts
from liftrisk.pipeline import assess_motion

TRIALS = ("stoop1_t169_f620f800", "stoop2_t169_f1395f1590", "stoop3_t169_f2101f2300")
SUBJECT = Subject("male", 81.7, 1.73)   # mass: the data's SOURCE.md; stature: the lab model's vertex
BOX_KG = 15.09
SPEC = """time_column = 1
rate_hz = 50
time_base = "start"
[[plate]]
name = "box"
role = "object"
force = [2, 3, 4]
cop = [5, 6, 7]
[[plate]]
name = "floor"
role = "feet"
force = [8, 9, 10]
cop = [11, 12, 13]
"""


def main(folder: Path) -> None:
    spec_path = Path(tempfile.mkdtemp()) / "plates.toml"
    spec_path.write_text(SPEC)
    static = read_motion(folder / "neu_t169_f250f350.c3d")
    tds, bus, lifts = [], [], []
    offset = 0.0
    for trial in TRIALS:
        motion = read_motion(folder / f"{trial}.c3d")
        plates = read_force_plates_csv(folder / f"{trial}_F1Cop1F2Cop2.csv", read_plate_spec(spec_path),
                                       float(motion.time_s[0]))
        a = assess_motion(motion, SUBJECT, BOX_KG, force_plates=plates, static=static)
        grasp = a.lifts[0].lift.grasp_s
        end = float(a.motion.time_s[-1])
        td = a.kinetics
        bu = a.lower[[c for c in a.lower.columns if c.startswith("l5s1_")]]
        one = compare_lifts(td, bu, [(grasp, end)])
        print(f"--- {trial}: lift cycle {grasp:.2f}-{end:.2f} s (top-down = A, bottom-up = B)")
        print(render(one))
        # stack the trials on one clock for the pooled figures
        tds.append(td.set_axis(td.index + offset))
        bus.append(bu.set_axis(bu.index + offset))
        lifts.append((grasp + offset, end + offset))
        offset += end + 10.0
    print("--- all three lifts pooled")
    print(render(compare_lifts(pd.concat(tds), pd.concat(bus), lifts)))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/vua_stoop_lifts/3D"))
