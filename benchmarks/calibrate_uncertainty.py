"""Calibration of the uncertainty bands on synthetic lifts with known truth.

Run: python benchmarks/calibrate_uncertainty.py [n_draws]   (default 200)

Truth = the assessment of the noise-free synthetic lift (`liftrisk.synthetic.synthetic_lift`).
Set-ups: (a) 3D points (markers / joint centres) with Gaussian noise of 5, 10 and 20 mm per
point and frame; (b) the lift rendered as MediaPipe-like keypoints by 2 or 4 calibrated
pinhole cameras at two heights (tests/pipeline/_render.py), 1.5 px of pixel noise, then
triangulated. For each set-up and quantity: the share of frames where the truth lies inside
the 90 % band (5-95 %); the target is 85-95 %. Lifts: whether the true LI lies in the LI
interval. Seeds differ between the noise and the draws.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUANTITIES = (("l5s1_extension_moment_nm", "kinetics"), ("compression_n", "spine"), ("ap_shear_n", "spine"),
              ("r_shoulder_flexion_moment_nm", "kinetics"), ("l_knee_extension_moment_nm", "lower"),
              ("reba", "posture"), ("rula", "posture"))


def coverage(a, truth) -> dict:
    """Share of frames with the truth inside the 90 % band, per quantity (nan when not computed)."""
    u = a.uncertainty
    t_est = np.asarray(a.motion.time_s)
    out = {}
    for q, table in QUANTITIES:
        ref = getattr(truth, table)
        if ref is None or q not in ref or f"{q}_p05" not in u.bands:
            out[q] = float("nan")
            continue
        x = np.interp(t_est, truth.motion.time_s, ref[q].to_numpy(float))
        lo, hi = u.bands[f"{q}_p05"].to_numpy(), u.bands[f"{q}_p95"].to_numpy()
        ok = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(x)
        tol = 1e-9 if q not in ("reba", "rula") else 0.0
        out[q] = float(np.mean((x[ok] >= lo[ok] - tol) & (x[ok] <= hi[ok] + tol)))
    if len(u.lifts) and truth.lifts:
        r = u.lifts.iloc[0]
        out["li_in_interval"] = float(r["li_p05"] <= truth.lifts[0].li <= r["li_p95"])
    return out


def main(n_draws: int = 200) -> None:
    from liftrisk.core.settings import AssessmentSettings
    from liftrisk.core.subject import Subject
    from liftrisk.pipeline import assess_keypoints, assess_motion
    from liftrisk.synthetic import synthetic_lift
    from tests.pipeline._render import as_mediapipe, look_at, render

    subj = Subject("male", 80.0, 1.78)
    st = AssessmentSettings(uncertainty_draws=n_draws, uncertainty_seed=11)
    kw = dict(origin_m=(0.45, 0.2), destination_m=(0.4, 1.0), asymmetry_deg=30.0, rate_hz=30.0, still_s=0.5)
    truth = assess_motion(synthetic_lift(subj, 10.0, **kw), subj, 10.0, AssessmentSettings(uncertainty_draws=0))
    rows = []
    for noise in (0.005, 0.01, 0.02):
        for seed in (1, 2):
            m = synthetic_lift(subj, 10.0, noise_m=noise, seed=seed, **kw)
            rows.append((f"3D points, {1000 * noise:.0f} mm noise, seed {seed}",
                         coverage(assess_motion(m, subj, 10.0, st), truth)))
    clean = as_mediapipe(synthetic_lift(subj, 10.0, **kw))
    rng = np.random.default_rng(5)
    rigs = {"2 cameras, 1.0 m high": [((2.5, 2.5, 1.0), "c1"), ((2.5, -2.5, 1.0), "c2")],
            "2 cameras, 2.2 m high": [((2.5, 2.5, 2.2), "c1"), ((2.5, -2.5, 2.2), "c2")],
            "4 cameras, 1.0-2.2 m high": [((2.5, 2.5, 1.0), "c1"), ((2.5, -2.5, 2.2), "c2"),
                                          ((-1.5, 3.0, 1.6), "c3"), ((3.5, 0.0, 1.4), "c4")]}
    for name, rig in rigs.items():
        cams = [look_at(cn, c, (0.2, 0.0, 0.9)) for c, cn in rig]
        views = []
        for cam in cams:
            v = render(clean, cam)
            xy = v.xy_px + 1.5 * rng.standard_normal(v.xy_px.shape)
            views.append(replace(v, xy_px=xy))
        a = assess_keypoints(views, subj, cams, 10.0, settings=st, sync=False)
        rows.append((f"{name}, 1.5 px noise", coverage(a, truth)))
    keys = [q for q, _ in QUANTITIES] + ["li_in_interval"]
    print("set-up".ljust(44) + " ".join(k[:12].rjust(12) for k in keys))
    for name, cov in rows:
        print(name.ljust(44) + " ".join(f"{100 * cov.get(k, np.nan):11.0f}%" for k in keys))
    allcov = np.array([[cov.get(k, np.nan) for k in keys[:-1]] for _, cov in rows])
    print("mean per quantity".ljust(44) + " ".join(f"{100 * v:11.0f}%" for v in np.nanmean(allcov, axis=0)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
