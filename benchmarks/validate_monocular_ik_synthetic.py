"""One camera on rendered synthetic lifts: the detector's 3D vs the reprojection IK (`monocular_ik`).

Run: python benchmarks/validate_monocular_ik_synthetic.py [--flatten 0.6]

Lifts from `liftrisk.synthetic.synthetic_lift` (squat and stoop, 10 kg, 30 frames/s) rendered
as MediaPipe-like keypoints by a pinhole camera 4 m away at 20, 45 or 90 deg from the front
(f = 1500 px, 1080 x 1920); the "world landmarks" are the camera-aligned 3D points with their
depth (camera z about the hip centre) scaled by `--flatten` (the detector's bias seen on real
clips) plus 1 cm noise, the pixels get 3 px noise. Prints the RMS (deg) of hip and knee flexion
(L/R), trunk flexion and lateral bend against the ground-truth angles of the 3D motion, and the
CPU time of each assessment. This is where the IK's settings were chosen.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COLUMNS = ("l_hip_flexion", "r_hip_flexion", "l_knee_flexion", "r_knee_flexion", "trunk_flexion",
           "trunk_lateral_bend")


def main() -> None:
    from liftrisk.core import Subject
    from liftrisk.core.keypoints import Keypoints2D
    from liftrisk.pipeline import AssessmentSettings, assess_keypoints, assess_motion
    from liftrisk.synthetic import synthetic_lift
    from tests.pipeline._render import as_mediapipe, look_at, render

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flatten", type=float, default=0.6)
    args = ap.parse_args()
    subject = Subject("male", 80.0, 1.78)
    st = AssessmentSettings(uncertainty_draws=0)
    print("RMS deg: hip L, hip R, knee L, knee R, trunk flexion, trunk lateral bend")
    for style, az in (("squat", 45), ("stoop", 45), ("squat", 90), ("stoop", 20)):
        m = synthetic_lift(subject, 10.0, style=style, duration_s=3.0, rate_hz=30.0)
        truth = as_mediapipe(m.select([p for p in m.point_names if p != "box"]))
        ref = assess_motion(truth, subject, 10.0, st).angles_rad
        a = np.radians(az)
        cam = look_at("c", (0.3 + 4 * np.cos(a), -4 * np.sin(a), 1.2), (0.3, 0.0, 0.9), size=(1080, 1920),
                      f_px=1500.0)
        kp = render(truth, cam, generic_scale=0.95)
        rng = np.random.default_rng(0)
        w = kp.world_m.copy()
        w[..., 2] *= args.flatten
        w = w + rng.normal(0, 0.01, w.shape)
        xy = kp.xy_px + rng.normal(0, 3.0, kp.xy_px.shape)
        kp = Keypoints2D(kp.time_s, xy, kp.confidence, kp.point_names, kp.skeleton, kp.image_size_px, w, kp.camera,
                         kp.source)
        for label, ik in (("detector 3D", False), ("reprojection IK", True)):
            t0 = time.process_time()
            got = assess_keypoints([kp], subject, None, 10.0,
                                   settings=AssessmentSettings(uncertainty_draws=0, monocular_ik=ik)).angles_rad
            n = min(len(got), len(ref))
            out = []
            for c in COLUMNS:
                x, y = np.degrees(got[c].to_numpy()[:n]), np.degrees(ref[c].to_numpy()[:n])
                ok = np.isfinite(x) & np.isfinite(y)
                out.append(f"{np.sqrt(np.mean((x[ok] - y[ok]) ** 2)):5.1f}")
            print(f"{style}, camera {az} deg from the front, {label:15s}: {' '.join(out)} "
                  f"(CPU {time.process_time() - t0:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
