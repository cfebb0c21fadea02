"""Sensitivity of fuzzy REBA to its transition width on the bundled demo and the real stoop
lifts (the table of docs/risk.md).

    python benchmarks/fuzzy_reba_sensitivity.py [../shared/data]

Right-side REBA angles from the joint centres (`liftrisk.risk.posture_angles`), no load, good
coupling; widths 2, 5 (default) and 10 deg.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import pandas as pd

from liftrisk.cli.risk import _canonical_motion
from liftrisk.processing import lowpass
from liftrisk.risk.fuzzy_reba import fuzzy_sensitivity
from liftrisk.risk.posture import posture_angles


def recordings(shared: Path | None):
    yield "bundled demo (synthetic)", resources.files("liftrisk") / "data" / "demo" / "demo_lift.trc", None
    if shared is not None:
        d = shared / "vua_stoop_lifts" / "3D"
        for k, trial in enumerate(("stoop1_t169_f620f800", "stoop2_t169_f1395f1590", "stoop3_t169_f2101f2300")):
            if (d / f"{trial}.c3d").exists():
                yield f"VU Amsterdam stoop lift {k + 1} (markers)", d / f"{trial}.c3d", d / "neu_t169_f250f350.c3d"


def main(shared: Path | None) -> None:
    pd.set_option("display.width", 200)
    for name, path, static in recordings(shared):
        motion = lowpass(_canonical_motion(Path(str(path)), static), 6.0)
        angles = posture_angles(motion)["r"]
        table = fuzzy_sensitivity(angles)
        print(f"--- {name}: {motion.n_frames} frames")
        print(table.round(3).to_string())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
