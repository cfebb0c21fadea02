"""Cost of the one-camera reprojection IK (`monocular_ik`), CPU ms per frame.

Run: OMP_NUM_THREADS=2 python benchmarks/bench_monocular_ik.py [--keypoints FILE.json]

Input: a rendered synthetic lift (MediaPipe-like keypoints seen by one camera 45 deg off the
sagittal plane, 30 frames/s, two lifts), or a keypoint file (`liftrisk.pose.write_keypoints`,
e.g. the bundled walking clip's detections). Prints the CPU time (all threads) of
`assess_keypoints` without and with `monocular_ik`, and of the IK step alone
(`liftrisk.bodymodel.reprojection.fit_monocular`: 3D fit for the start, pixel lengths,
reprojection IK), in ms per frame. Not a test: speed goals live here.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _rendered():
    from liftrisk.core import Subject
    from liftrisk.synthetic import synthetic_lift
    from tests.pipeline._render import as_mediapipe, look_at, render

    m = synthetic_lift(Subject("male", 80.0, 1.78), 10.0, n_lifts=2, rate_hz=30.0)
    truth = as_mediapipe(m.select([p for p in m.point_names if p != "box"]))
    a = np.radians(45.0)
    cam = look_at("c", (0.3 + 4 * np.cos(a), -4 * np.sin(a), 1.2), (0.3, 0.0, 0.9), size=(1080, 1920), f_px=1500.0)
    return render(truth, cam, generic_scale=0.95)


def main() -> None:
    import liftrisk.pipeline as pl
    from liftrisk.core import Subject
    from liftrisk.pipeline import AssessmentSettings, assess_keypoints
    from liftrisk.pose import read_keypoints

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keypoints", type=Path, default=None)
    args = ap.parse_args()
    kp = read_keypoints(args.keypoints) if args.keypoints else _rendered()
    n = kp.xy_px.shape[0]
    subject = Subject("male", 80.0, 1.78)
    st = AssessmentSettings(uncertainty_draws=0)
    spent = []
    orig = pl.fit_monocular

    def timed(*a, **k):
        t0 = time.process_time()
        out = orig(*a, **k)
        spent.append(time.process_time() - t0)
        return out

    pl.fit_monocular = timed
    assess_keypoints([kp], subject, None, settings=st)  # warm-up (imports, caches)
    for label, s in (("detector 3D", st), ("monocular_ik", replace(st, monocular_ik=True))):
        t0 = time.process_time()
        assess_keypoints([kp], subject, None, settings=s)
        dt = time.process_time() - t0
        print(f"{kp.source}: {n} frames, assess_keypoints with {label}: {1000 * dt / n:.1f} ms CPU per frame")
    print(f"reprojection IK step alone (fit_monocular): {1000 * spent[-1] / n:.1f} ms CPU per frame")


if __name__ == "__main__":
    main()
