"""Body model on the Pose2Sim 4-camera clip (needs ../shared/data/pose2sim_demo; about 1 min).

Run: python benchmarks/validate_bodymodel_pose2sim.py [--cache DIR]
(--cache: keep the MediaPipe detections as keypoint JSON in DIR and reuse them.)

Prints: segment-length spread of the triangulated keypoints vs the fitted model (0 by
construction), the fitted model's RMS 3D residual and its reprojection error in the four
cameras (vs the detected 2D keypoints, confidence >= 0.5) next to that of the free
triangulated points, and hip/knee/trunk angles from cam01 alone vs the 4 cameras, both through
the pipeline with the body model (RMS deg and r), for cam01's 3D from the detector's world
landmarks (default) and from the reprojection IK (``monocular_ik``). Then what limits one
camera: cam01's detected 2D keypoints against the 4-camera fit projected into cam01 (px), and
the reprojection IK fed that projection instead of the detections (ideal 2D) and fed the
detections, both with the 4-camera fit's segment lengths, without and with the weak 3D prior
(these against the 4-camera fit's own angles, no filter); and the IK with the limb lengths
measured on cam01's pixel rays. Subject 70 kg / 1.75 m
male: not given by the source; the stature only sets the generic lengths that the data replace.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

import numpy as np

COLUMNS = ("l_hip_flexion", "r_hip_flexion", "l_knee_flexion", "r_knee_flexion", "trunk_flexion",
           "trunk_lateral_bend")


def _compare(label: str, got, ref) -> None:
    n = min(len(got), len(ref))
    for col in COLUMNS:
        x, y = np.degrees(got[col].to_numpy()[:n]), np.degrees(ref[col].to_numpy()[:n])
        ok = np.isfinite(x) & np.isfinite(y)
        print(f"{label}, {col}: RMS {np.sqrt(np.mean((x[ok] - y[ok]) ** 2)):.1f} deg, "
              f"r = {np.corrcoef(x[ok], y[ok])[0, 1]:.2f} ({ok.sum()} frames)")


def _views(d: Path, cache: Path | None):
    from liftrisk.pose import detect_video, read_keypoints, write_keypoints

    out = []
    for i in range(1, 5):
        f = cache / f"pose2sim_balancing_cam0{i}.json" if cache else None
        if f is not None and f.exists():
            out.append(read_keypoints(f))
            continue
        kp = detect_video(d / "videos_balancing" / f"cam0{i}.mp4")
        if f is not None:
            f.parent.mkdir(parents=True, exist_ok=True)
            write_keypoints(kp, f)
        out.append(kp)
    return out


def main() -> None:
    from liftrisk.bodymodel import fit_body_model
    from liftrisk.bodymodel.forward import KinematicTree
    from liftrisk.core import Subject
    from liftrisk.pipeline import AssessmentSettings, assess_keypoints
    from liftrisk.pose import read_calibration, triangulate_keypoints

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=None, help="folder for the detections (keypoint JSON)")
    args = ap.parse_args()
    root = Path(os.environ.get("LIFTRISK_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    d = root / "pose2sim_demo"
    views = _views(d, args.cache)
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
    _compare("cam01 vs 4 cameras", a1, a4)
    import functools

    import liftrisk.pipeline as pl

    g = fit.model.geometry
    print(f"4-camera fit lengths: thigh {g.thigh:.3f} m, shank {g.shank:.3f} m, hip width {g.hip_width:.3f} m")
    ik = replace(st, monocular_ik=True)
    orig_fit, orig_settings = pl.fit_monocular, pl.ReprojectionSettings

    def reporting(*a, **k):
        out = orig_fit(*a, **k)
        L = out.meta["monocular_ik"]["lengths_m"]
        print(f"  cam01 model lengths: thigh {L['thigh']:.3f} m, shank {L['shank']:.3f} m, "
              f"hip width {L['hip_width']:.3f} m")
        return out

    try:
        pl.fit_monocular = reporting
        _compare("cam01 reprojection IK vs 4 cameras", assess_keypoints(views[:1], subject, cams[:1], settings=ik)
                 .angles_rad, a4)
        # limb lengths and hip width measured on cam01's pixel rays
        pl.ReprojectionSettings = functools.partial(orig_settings, lengths_from_pixels=True)
        a = assess_keypoints(views[:1], subject, cams[:1], settings=ik)
        _compare("cam01 reprojection IK, lengths from the pixels, vs 4 cameras", a.angles_rad, a4)
    finally:
        pl.fit_monocular, pl.ReprojectionSettings = orig_fit, orig_settings
    _limits(views, cams, fit, subject, st)


def _limits(views, cams, fit, subject, st) -> None:
    """cam01's 2D against the 4-camera fit, and the IK on ideal 2D (that fit projected)."""
    import liftrisk.bodymodel.reprojection as rp
    from liftrisk.core.keypoints import Keypoints2D
    from liftrisk.core.skeletons import get_skeleton
    from liftrisk.kinematics.angles import joint_angles
    from liftrisk.pipeline import assess_keypoints

    jc = fit.joint_centres
    v, cam = views[0], cams[0]
    mp = get_skeleton("mediapipe33")
    xy = np.full_like(v.xy_px, np.nan)
    for c, srcs in mp.to_canonical.items():
        if c in jc and c not in ("neck", "mid_hip"):
            for s in srcs:
                xy[:, v.point_names.index(s)] = cam.project(jc[c])
    for n in ("left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"):
        i = v.point_names.index(n)
        e = np.linalg.norm(xy[:, i] - v.xy_px[:, i], axis=1)
        print(f"cam01 detected {n} vs the 4-camera fit projected into cam01: median {np.nanmedian(e):.1f} px, "
              f"p90 {np.nanpercentile(e, 90):.1f} px")
    ideal = Keypoints2D(v.time_s, xy, v.confidence, v.point_names, v.skeleton, v.image_size_px, v.world_m,
                        v.camera, "cam01, 4-camera fit projected")
    ref = joint_angles(jc)
    raw = replace(st, body_model=False, cutoff_hz=0.0, monocular_com_cutoff_hz=0.0)
    _compare("ideal 2D, detector 3D", assess_keypoints([ideal], subject, [cam], settings=raw).angles_rad, ref)
    import liftrisk.pipeline as pl

    orig = pl.fit_monocular
    try:  # the 4-camera fit's segment lengths instead of those measured on cam01
        pl.fit_monocular = lambda *a, **k: orig(*a, **k, geometry=fit.model.geometry)
        for label, kp in (("ideal 2D", ideal), ("cam01's detected 2D", v)):
            for w in (0.0, rp.ReprojectionSettings().prior_weight):
                s = replace(raw, monocular_ik=True, monocular_ik_prior_weight=w)
                _compare(f"{label}, reprojection IK, 4-camera lengths, prior weight {w:g}",
                         assess_keypoints([kp], subject, [cam], settings=s).angles_rad, ref)
    finally:
        pl.fit_monocular = orig


if __name__ == "__main__":
    main()
