"""Which route the body model takes to keypoints (Pose2Sim 4-camera clip; needs
../shared/data/pose2sim_demo; about 1 min with cached detections).

Run: python benchmarks/compare_bodymodel_routes.py [--cache DIR]
(--cache: the MediaPipe detections as keypoint JSON, as benchmarks/validate_bodymodel_pose2sim.py
writes them.)

Mocap markers go through inverse kinematics of the raw markers in the pipeline
(`liftrisk.assessment.body_model_stage`). For keypoints this compares, on the 4-camera
triangulation of the clip, (A) the pipeline's route: canonical joint centres, then the model
fitted to them (`fitted_joint_centres`), with (B) the model fitted to the raw triangulated
keypoints (confidence >= 0.5, gap-filled and filtered as the joint centres; `fit_body_model`).
The reference is independent of both fits: the detected 2D keypoints in the four cameras (the
fitted joint centres projected; median and p90 px over hips, knees, ankles, shoulders, elbows,
wrists, heels and toes seen with confidence >= 0.5). Also printed: wall time of each fit and
the hip, knee and trunk angles of A against B.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
from validate_bodymodel_pose2sim import _views


def main() -> None:
    from liftrisk.assessment import canonical_motion
    from liftrisk.bodymodel import fit_body_model, fitted_joint_centres
    from liftrisk.core import Subject
    from liftrisk.core.settings import AssessmentSettings
    from liftrisk.core.skeletons import get_skeleton
    from liftrisk.kinematics.angles import joint_angles
    from liftrisk.pose import read_calibration, triangulate_keypoints
    from liftrisk.processing import fill_and_lowpass

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None, help="folder for the detections (keypoint JSON)")
    args = ap.parse_args()
    root = Path(os.environ.get("LIFTRISK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    d = root / "pose2sim_demo"
    views = _views(d, args.cache)
    cams = read_calibration(d / "calibration" / "Calib_qualisys_converted_by_pose2sim.toml")
    subject = Subject("male", 70.0, 1.75)   # not given by the source; the data replace the lengths
    m = triangulate_keypoints(views, cams).motion
    st = AssessmentSettings(body_model=False)
    canon = canonical_motion(m, subject, st)
    t0 = time.perf_counter()
    a = fitted_joint_centres(canon, subject)
    ta = time.perf_counter() - t0
    t0 = time.perf_counter()
    conf = m.confidence if m.confidence is not None else np.ones(m.positions_m.shape[:2])
    raw = fill_and_lowpass(m.replace(positions_m=np.where(conf[..., None] >= st.min_confidence, m.positions_m,
                                                          np.nan)), st.max_gap_s, st.cutoff_hz)
    b = fit_body_model(raw, subject).joint_centres
    tb = time.perf_counter() - t0
    print(f"fit wall time: (A) joint centres {ta:.1f} s, (B) raw keypoints {tb:.1f} s")
    mp = get_skeleton("mediapipe33")
    joints = [c for c, src in mp.to_canonical.items() if len(src) == 1 and c not in ("head", "l5s1", "neck",
                                                                                     "mid_hip")]
    for label, jc in (("(A) joint centres", a), ("(B) raw keypoints", b), ("no model (canonical points)", canon)):
        errs = []
        for v, cam in zip(views, cams, strict=True):
            for c in joints:
                k = v.point_names.index(mp.to_canonical[c][0])
                e = np.linalg.norm(cam.project(jc[c]) - v.xy_px[:, k], axis=1)
                e[v.confidence[:, k] < 0.5] = np.nan
                errs.append(e)
        e = np.concatenate(errs)
        print(f"{label}: reprojection of the joint centres median {np.nanmedian(e):.1f} px, "
              f"p90 {np.nanpercentile(e, 90):.1f} px")
    aa, ab = joint_angles(a), joint_angles(b)
    for c in ("l_hip_flexion", "r_hip_flexion", "l_knee_flexion", "r_knee_flexion", "trunk_flexion"):
        x, y = np.degrees(aa[c].to_numpy()), np.degrees(ab[c].to_numpy())
        ok = np.isfinite(x) & np.isfinite(y)
        print(f"{c}: (A) vs (B) RMS {np.sqrt(np.mean((x[ok] - y[ok]) ** 2)):.1f} deg")


if __name__ == "__main__":
    main()
