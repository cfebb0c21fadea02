"""The body model on the OpenSim gait2354 walk (liftrisk's default path: own model, scaled on
the static trial, IK of the walk's markers, Newton-Euler with the two force plates), compared
with OpenSim's ID reference (inverse_dynamics.sto). No OpenSim file is an input.

Measured 2026-12-05 (stance RMS, % of the reference peak): ankles 1.7 / 2.2 %, knees 16.5 /
23.9 %, hips 28.2 / 38.3 %, lumbar extension top-down 38 %; the issue's 10 % target is met
at the ankles only (docs/bodymodel.md discusses why). Thresholds are guards just outside
these figures; the rigid-model properties are exact.
"""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.core import Subject

JOINTS = (("hip_extension", "hip_flexion", -1.0), ("knee_extension", "knee_angle", 1.0),
          ("ankle_plantarflexion", "ankle_angle", -1.0))


@pytest.fixture(scope="module")
def gait(shared_data):
    from liftrisk.bodymodel import fit_body_model
    from liftrisk.io import read_opensim_grf, read_sto, read_trc

    d = shared_data / "opensim_gait2354"
    if not (d / "inverse_dynamics.sto").exists():
        pytest.skip("opensim_gait2354 not in shared data")
    walk, static = read_trc(d / "subject01_walk1.trc"), read_trc(d / "subject01_static.trc")
    s = Subject("male", 72.6, 1.80)  # 72.6 kg per the OpenSim scale setup
    fit = fit_body_model(walk, s, static=static)
    grf = read_opensim_grf(d / "subject01_walk1_grf.mot", d / "subject01_walk1_grf.xml")
    ref, _ = read_sto(d / "inverse_dynamics.sto")
    return fit, grf, ref, s


def test_fitted_segments_are_rigid(gait):
    fit = gait[0]
    jc = fit.joint_centres
    for a, b in (("r_hip", "r_knee"), ("l_knee", "l_ankle"), ("l5s1", "neck"), ("l_hip", "r_hip")):
        ln = np.linalg.norm(jc[a] - jc[b], axis=1)
        assert np.nanstd(ln) < 1e-9, (a, b)
    assert fit.solution.converged.mean() > 0.95
    # lower-limb and pelvis markers fit within 2 cm RMS (measured 0.3-1.6 cm)
    r = fit.marker_residuals_m
    legs = [c for c in r.columns if any(k in c for k in ("ASIS", "Sacral", "Thigh", "Shank", "Heel", "Toe"))]
    assert np.sqrt(np.nanmean(r[legs].to_numpy() ** 2)) < 0.02


def test_moments_against_opensim_id(gait):
    from liftrisk.kinetics import bottom_up
    from liftrisk.metrics import compare_series
    from liftrisk.processing.filters import lowpass

    fit, grf, ref, s = gait
    m = lowpass(fit.joint_centres, 6.0)
    bu = bottom_up(m, s, grf, frame="pelvis")
    t = ref.index.to_numpy()
    res = {}
    for side, g in zip("rl", grf, strict=True):
        stance = np.interp(t, g.time_s, g.force_n[:, 2]) > 20.0
        for mine, theirs, sign in JOINTS:
            mv = sign * np.interp(t, bu.index.to_numpy(), bu[f"{side}_{mine}_moment_nm"].to_numpy())
            res[f"{side}_{theirs}"] = v = compare_series(mv[stance], ref[f"{theirs}_{side}_moment"].to_numpy()[stance])
            print(f"{side}_{theirs:12s} {v['rmse_percent_of_peak']:5.1f} % of peak, r = {v['pearson_r']:.3f}")
    for k in ("r_ankle_angle", "l_ankle_angle"):
        assert res[k]["rmse_percent_of_peak"] <= 10.0  # the target, met
    assert res["r_knee_angle"]["rmse_percent_of_peak"] <= 19.0  # target missed: guards
    assert res["l_knee_angle"]["rmse_percent_of_peak"] <= 27.0
    assert res["r_hip_flexion"]["rmse_percent_of_peak"] <= 31.0
    assert res["l_hip_flexion"]["rmse_percent_of_peak"] <= 41.0
    for v in res.values():
        assert v["pearson_r"] >= 0.9
