"""Body model on the Pose2Sim 4-camera clip (needs ../shared/data/pose2sim_demo; about 1 min).

Run: python benchmarks/validate_bodymodel_pose2sim.py

Prints: segment-length spread of the triangulated keypoints vs the fitted model (0 by
construction), the fitted model's RMS 3D residual and its reprojection error in the four
cameras (vs the detected 2D keypoints, confidence >= 0.5) next to that of the free
triangulated points, and hip/knee/trunk angles from cam01 alone vs the 4 cameras, both through
the pipeline with the body model (RMS deg and r). Subject 70 kg / 1.75 m male: not given by
the source; the stature only sets the generic lengths that the data replace.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def main() -> None:
    from liftrisk.bodymodel import fit_body_model
    from liftrisk.bodymodel.forward import KinematicTree
    from liftrisk.core import Subject
    from liftrisk.pipeline import AssessmentSettings, assess_keypoints
    from liftrisk.pose import detect_video, read_calibration, triangulate_keypoints

    root = Path(os.environ.get("LIFTRISK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    d = root / "pose2sim_demo"
    views = [detect_video(d / "videos_balancing" / f"cam0{i}.mp4") for i in range(1, 5)]
    cams = read_calibration(d / "calibration" / "Calib_qualisys_converted_by_pose2sim.toml")
    subject = Subject("male", 70.0, 1.75)
    tri = triangulate_keypoints(views, cams)
    m = tri.motion
    fit = fit_body_model(m, subject)
    for a, b in (("left_hip", "left_knee"), ("right_knee", "right_ankle"), ("left_hip", "right_hip")):
        ln = np.linalg.norm(m[a] - m[b], axis=1)
        print(f"triangulated {a}-{b}: mean {np.nanmean(ln):.3f} m, SD {1000 * np.nanstd(ln):.1f} mm (fitted: SD 0)")
    print(f"fitted model RMS 3D residual to the triangulated keypoints: {100 * fit.rms_residual_m():.1f} cm")
    mk = dict(fit.model.markers)
    P = KinematicTree(fit.model, mk).points(fit.solution.R0, fit.solution.o0, fit.solution.q)
    fitted, free = [], []
    for v, cam in zip(views, cams, strict=True):
        idx = [v.point_names.index(n) for n in mk]
        xy, conf = v.xy_px[:, idx], v.confidence[:, idx]
        for pts, out in ((P, fitted), (m.points(list(mk)), free)):
            e = np.linalg.norm(cam.project(pts) - xy, axis=2)
            e[conf < 0.5] = np.nan
            out.append(e)
    e, ef = np.concatenate(fitted, 1), np.concatenate(free, 1)
    print(f"reprojection, fitted model: median {np.nanmedian(e):.1f} px, p90 {np.nanpercentile(e, 90):.1f} px; "
          f"free triangulated points: median {np.nanmedian(ef):.1f} px, p90 {np.nanpercentile(ef, 90):.1f} px")
    st = AssessmentSettings(uncertainty_draws=0)
    a4 = assess_keypoints(views, subject, cams, settings=st).angles_rad
    a1 = assess_keypoints(views[:1], subject, cams[:1], settings=st).angles_rad
    n = min(len(a4), len(a1))
    for col in ("l_hip_flexion", "r_hip_flexion", "l_knee_flexion", "r_knee_flexion", "trunk_flexion",
                "trunk_lateral_bend"):
        x, y = np.degrees(a1[col].to_numpy()[:n]), np.degrees(a4[col].to_numpy()[:n])
        ok = np.isfinite(x) & np.isfinite(y)
        print(f"cam01 vs 4 cameras, {col}: RMS {np.sqrt(np.mean((x[ok] - y[ok]) ** 2)):.1f} deg, "
              f"r = {np.corrcoef(x[ok], y[ok])[0, 1]:.2f} ({ok.sum()} frames)")


if __name__ == "__main__":
    main()
