"""The body model on the OpenSim gait2354 walk (liftrisk's default path: own model, scaled on
the static trial, IK of the walk's markers, Newton-Euler with the two force plates), compared
with OpenSim's ID reference (inverse_dynamics.sto). No OpenSim file is an input.

Measured 2026-12-06 (stance RMS, % of the reference peak): ankles 1.7 / 2.1 %, knees 15.5 /
24.2 %, hips 28.6 / 38.4 %, lumbar extension top-down 34 % (whole trial); the issue's 10 %
target is met at the ankles only. The static trial is a T-pose: the shoulder girdle and arms
are calibrated on the walk's arms-down frames (arm markers 0.1-0.7 cm RMS; 4-10 cm before).
Thresholds are guards just outside these figures; the rigid-model
properties are exact. Causes (docs/bodymodel.md, "gait2354: where the differences come from"):

* OpenSim 4.6's own ID on the tutorial's own inputs (model, IK .mot, GRF, 6 Hz) does not
  reproduce the shipped ``inverse_dynamics.sto`` at the left knee (13.9 % of peak; others
  0.2-3.4 %): against that re-run, liftrisk's knees are 13.5 / 9.5 %
  (`test_moments_against_opensim_46_rerun`).
* liftrisk's Newton-Euler equals OpenSim's ID on liftrisk's exported model within 0.2-3.9 %
  (test_opensim_id.py): the rest is the model, chiefly the hip joint centre (the scaled
  gait2354 hip sits 35-39 mm posterior of Harrington's regression on the same pelvis
  markers; with the model's hip the hip moments are 7.1 / 8.8 %,
  `test_hip_gap_is_the_hip_centre_definition`) and, at the lumbar joint,
  gait2354's head fixed rigidly on the torso.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from liftrisk.core import Subject
from liftrisk.io.opensim_worker import opensim_available

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


def test_t_pose_static_trial_calibrates_the_arms_on_arms_down_frames(gait, shared_data):
    """The static trial is a T-pose (upper arms about 90 deg from the trunk): its raised
    acromia (scapular elevation and upward rotation) would make the thorax-fixed shoulders 7-8
    cm too high and the set's neck (acromion mid-point: no C7) too; the shoulder girdle and
    arms are therefore calibrated on the walk's arms-down frames (docs/bodymodel.md). The
    measured markers are the reference: acromion, biceps, elbow and wrist markers fit within
    2 cm RMS each (5-10 cm when registered on the T-pose; measured 0.1-0.7 cm)."""
    from liftrisk.bodymodel.fit import arm_elevation_deg
    from liftrisk.io import read_trc
    from liftrisk.kinematics.joint_centres import joint_centres_from_markers

    fit = gait[0]
    assert "arms-down frames of the recording" in fit.scaling.calibration
    static = joint_centres_from_markers(read_trc(shared_data / "opensim_gait2354" / "subject01_static.trc"))
    assert np.nanmedian(arm_elevation_deg(static)) > 60.0          # the T-pose is seen as such
    r = fit.marker_residuals_m
    arms = [c for c in r.columns if any(k in c for k in ("Acromium", "Bicep", "Elbow", "Wrist", "Sternum"))]
    assert len(arms) == 11
    for c in arms:
        assert np.sqrt(np.nanmean(r[c].to_numpy() ** 2)) < 0.02, c


def _moments(fit, grf, s, t):
    """liftrisk's sagittal moments in OpenSim's names and signs, on the reference's time base."""
    from liftrisk.kinetics import bottom_up
    from liftrisk.processing.filters import lowpass

    bu = bottom_up(lowpass(fit.joint_centres, 6.0), s, grf, frame="pelvis")
    out = {}
    for side, g in zip("rl", grf, strict=True):
        stance = np.interp(t, g.time_s, g.force_n[:, 2]) > 20.0
        for mine, theirs, sign in JOINTS:
            mv = sign * np.interp(t, bu.index.to_numpy(), bu[f"{side}_{mine}_moment_nm"].to_numpy())
            out[f"{theirs}_{side}"] = (mv, stance)
    return out


@pytest.mark.skipif(not opensim_available(), reason="opensim (the liftrisk[opensim] extra) not installed")
def test_moments_against_opensim_46_rerun(gait, shared_data, tmp_path):
    """OpenSim 4.6's ID re-run on the tutorial's own model, IK and GRF (the setup's 6 Hz):
    the shipped reference differs from it at the left knee (measured 13.9 % of peak over
    0.4-1.6 s; hips 1.5 / 3.4 %, right knee 3.1 %, ankles 0.2 / 0.5 %, lumbar 1.9 %), so the
    left-knee figure against the shipped file carries an error of the reference itself.
    liftrisk against the re-run (measured, stance): knees 13.5 / 9.5 %, hips 26.9 / 38.7 %,
    ankles 1.7 / 2.2 %."""
    from liftrisk.io import read_sto
    from liftrisk.io.opensim_worker import run_worker
    from liftrisk.metrics import compare_series

    fit, grf, ref, s = gait
    d = shared_data / "opensim_gait2354"
    run_worker("id", str(d / "subject01_simbody.osim"), str(d / "subject01_walk1_ik.mot"),
               str(d / "subject01_walk1_grf.xml"), str(tmp_path / "id.sto"), "6")
    rerun, _ = read_sto(tmp_path / "id.sto")
    t = ref.index.to_numpy()
    assert np.allclose(rerun.index.to_numpy(), t)
    shipped = {k: compare_series(rerun[k].to_numpy(), ref[k].to_numpy())["rmse_percent_of_peak"]
               for k in ("knee_angle_l_moment", "knee_angle_r_moment", "hip_flexion_r_moment",
                         "ankle_angle_r_moment", "lumbar_extension_moment")}
    print("OpenSim 4.6 re-run vs shipped reference, % of peak:", {k: round(v, 1) for k, v in shipped.items()})
    assert shipped["knee_angle_l_moment"] > 10.0  # the reference's own left-knee discrepancy
    assert max(shipped[k] for k in shipped if k != "knee_angle_l_moment") < 5.0
    res = {}
    for k, (mv, stance) in _moments(fit, grf, s, t).items():
        res[k] = v = compare_series(mv[stance], rerun[f"{k}_moment"].to_numpy()[stance])
        print(f"vs re-run {k:14s} {v['rmse_percent_of_peak']:5.1f} % of peak, r = {v['pearson_r']:.3f}")
    assert res["knee_angle_l"]["rmse_percent_of_peak"] <= 11.0  # measured 9.5 %
    assert res["knee_angle_r"]["rmse_percent_of_peak"] <= 15.0  # measured 13.5 %
    assert max(res[f"ankle_angle_{s}"]["rmse_percent_of_peak"] for s in "rl") <= 10.0


def test_moments_against_opensim_id(gait):
    from liftrisk.metrics import compare_series

    fit, grf, ref, s = gait
    res = {}
    for k, (mv, stance) in _moments(fit, grf, s, ref.index.to_numpy()).items():
        theirs, side = k.rsplit("_", 1)
        res[f"{side}_{theirs}"] = v = compare_series(mv[stance], ref[f"{k}_moment"].to_numpy()[stance])
        print(f"{side}_{theirs:12s} {v['rmse_percent_of_peak']:5.1f} % of peak, r = {v['pearson_r']:.3f}")
    for k in ("r_ankle_angle", "l_ankle_angle"):
        assert res[k]["rmse_percent_of_peak"] <= 10.0  # the target, met
    assert res["r_knee_angle"]["rmse_percent_of_peak"] <= 19.0  # target missed: guards (causes: module doc)
    assert res["l_knee_angle"]["rmse_percent_of_peak"] <= 27.0
    assert res["r_hip_flexion"]["rmse_percent_of_peak"] <= 31.0
    assert res["l_hip_flexion"]["rmse_percent_of_peak"] <= 41.0
    for v in res.values():
        assert v["pearson_r"] >= 0.9
    # lumbar extension, top-down from the hands (no external load): whole trial
    from liftrisk.kinetics import top_down_l5s1
    from liftrisk.processing.filters import lowpass

    td = top_down_l5s1(lowpass(fit.joint_centres, 6.0), s, frame="pelvis", joints=False)
    t = ref.index.to_numpy()
    lum = compare_series(np.interp(t, td.index.to_numpy(), td["l5s1_extension_moment_nm"].to_numpy()),
                         ref["lumbar_extension_moment"].to_numpy())
    print(f"lumbar extension (top-down) {lum['rmse_percent_of_peak']:5.1f} % of peak, r = {lum['pearson_r']:.3f}")
    assert lum["rmse_percent_of_peak"] <= 37.0  # target missed (rigid head-trunk of the reference): a guard


def test_hip_gap_is_the_hip_centre_definition(gait, shared_data):
    """Diagnostic (docs/bodymodel.md, gait2354 item 3): with the scaled gait2354 model's hip
    centres (its pelvis placed on the pelvis markers frame by frame, tests/kinetics/opensim_model.py)
    instead of the fitted Harrington hips, and nothing else changed, the hip moments come within
    the issue's 10 % (measured 2026-12-06: right / left 7.1 / 8.8 % of peak, vs 28.3 / 38.3 % with
    the fitted Harrington hips): the hip gap is the definition of the hip centre (the model's
    sits 34 / 40 mm posterior of the fitted one on the same markers)."""
    import importlib.util
    from pathlib import Path

    from liftrisk.io import read_trc
    from liftrisk.kinematics.joint_centres import pelvis_frames_from_markers
    from liftrisk.metrics import compare_series

    spec = importlib.util.spec_from_file_location(
        "opensim_model", Path(__file__).resolve().parents[1] / "kinetics" / "opensim_model.py")
    om = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(om)
    fit, grf, ref, s = gait
    d = shared_data / "opensim_gait2354"
    walk = read_trc(d / "subject01_walk1.trc")
    model = om.read_model(d / "subject01_simbody.osim")
    Rp, op = om.fit_body(walk, model, "pelvis")
    hips = {f"{x}_hip": op + np.einsum("tij,j->ti", Rp, model["joints"][f"hip_{x}"]["frames"]["pelvis_offset"])
            for x in "rl"}
    # the two definitions on the same pelvis markers: ASIS-sacrum frame, mm
    fr = pelvis_frames_from_markers(*[walk.points([n])[:, 0] for n in ("R.ASIS", "L.ASIS", "V.Sacral")])
    for x in "rl":
        diff = np.einsum("tji,tj->ti", fr[:, :3, :3], hips[f"{x}_hip"] - fit.joint_centres[f"{x}_hip"])
        back = -1000 * np.nanmedian(diff[:, 0])
        print(f"{x} hip: gait2354 model {back:.0f} mm posterior of the fitted (Harrington) centre")
        assert 30.0 < back < 45.0  # measured 34 / 40 mm
    moved = replace(fit, joint_centres=fit.joint_centres.with_points(hips))
    for k, (mv, stance) in _moments(moved, grf, s, ref.index.to_numpy()).items():
        if k.startswith("hip"):
            v = compare_series(mv[stance], ref[f"{k}_moment"].to_numpy()[stance])
            print(f"model hip centres: {k} {v['rmse_percent_of_peak']:.1f} % of peak")
            assert v["rmse_percent_of_peak"] <= 10.0
