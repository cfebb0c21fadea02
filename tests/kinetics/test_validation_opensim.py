"""Validation against OpenSim's inverse dynamics of the gait2354 walking example.

Reference: ../shared/data/opensim_gait2354/inverse_dynamics.sto (OpenSim ID of the scaled
gait2354 model, coordinates low-pass filtered at 6 Hz). liftrisk's bottom-up hip, knee and
ankle sagittal moments from the markers + the two force plates are compared over each
foot's stance phase (plate vertical force > 20 N), and L5/S1 (top-down and bottom-up) with
``lumbar_extension_moment`` over 0.4-1.6 s. The markers are low-pass filtered at 6 Hz
like the reference. Sign mapping: hip_flexion = -hip_extension, knee_angle =
knee_extension, ankle_angle = -ankle_plantarflexion.

Four levels separate the algorithm from modelling choices (docs/kinetics.md has the table):
(1) the model posed by OpenSim's own IK with the model's segment parameters (algorithm
check, `test_gait2354_algorithm_check_model_parameters`); (2) the same posed joint centres
with de Leva parameters and liftrisk's segment frames; (3)-(4) the marker-based runs below.
Two marker-based joint-centre sets are compared, to separate joint-centre definitions:
(a) liftrisk's own (Harrington hip, CAST knee/ankle, Reed L5/S1: liftrisk.kinematics);
(b) the scaled OpenSim model's hip, knee (with its angle-dependent translation), ankle and
back joints placed on the markers (tests/kinetics/opensim_model.py).
Segment parameters stay de Leva's (gait2354 uses other masses: torso incl. head and arms
33.07 kg = 45.5 % of body mass vs 49.1 % here), and OpenSim's ID carries pelvis residual
loads, so an exact match is not expected. Thresholds below are regression guards set just
outside the figures measured on 2026-11-26 (printed with ``pytest -s``); the issue's target
(RMS <= 10 % of peak, r >= 0.9) is met only where the assertions say so.
"""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.core import Motion, Subject

JOINTS = (("hip_extension", "hip_flexion", -1.0), ("knee_extension", "knee_angle", 1.0),
          ("ankle_plantarflexion", "ankle_angle", -1.0))


def _load_helper():
    """tests/kinetics/opensim_model.py (loaded by path: the tests folder is not a package)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("opensim_model", Path(__file__).with_name("opensim_model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gait(shared_data):
    from liftrisk.io import read_mot, read_opensim_grf, read_sto, read_trc
    from liftrisk.kinematics.joint_centres import joint_centres_from_markers

    helper = _load_helper()
    model_joint_centres, read_model = helper.model_joint_centres, helper.read_model
    d = shared_data / "opensim_gait2354"
    if not (d / "inverse_dynamics.sto").exists():
        pytest.skip("opensim_gait2354 not in shared data")
    walk = read_trc(d / "subject01_walk1.trc")
    static = read_trc(d / "subject01_static.trc")
    ik, _ = read_mot(d / "subject01_walk1_ik.mot")
    walk_ik = walk.slice_time(ik.index[0] - 1e-9, ik.index[-1] + 1e-9)
    own = joint_centres_from_markers(walk_ik, static=static)
    q = {s: np.deg2rad(ik[f"knee_angle_{s}"].to_numpy()) for s in "rl"}
    model = own.with_points(model_joint_centres(walk_ik, read_model(d / "subject01_simbody.osim"), q))
    grf = read_opensim_grf(d / "subject01_walk1_grf.mot", d / "subject01_walk1_grf.xml")
    ref, _ = read_sto(d / "inverse_dynamics.sto")
    return {"own": own, "model": model, "grf": grf, "ref": ref}


def _run(gait, which):
    from liftrisk.kinetics import bottom_up, top_down_l5s1
    from liftrisk.metrics import compare_series
    from liftrisk.processing.filters import lowpass

    m = lowpass(gait[which], 6.0)
    s = Subject("male", 72.6, 1.80)  # 72.6 kg per the OpenSim scale setup
    bu = bottom_up(m, s, gait["grf"], frame="pelvis")
    td = top_down_l5s1(m, s, frame="pelvis", joints=False)
    ref = gait["ref"]
    t = ref.index.to_numpy()

    def at(df, col):
        return np.interp(t, df.index.to_numpy(), df[col].to_numpy())

    res = {}
    for side, g in zip("rl", gait["grf"], strict=True):
        assert g.foot[0] == side
        stance = np.interp(t, g.time_s, g.force_n[:, 2]) > 20.0
        for mine, theirs, sign in JOINTS:
            res[f"{side}_{theirs}"] = compare_series(sign * at(bu, f"{side}_{mine}_moment_nm")[stance],
                                                     ref[f"{theirs}_{side}_moment"].to_numpy()[stance])
    lumbar = ref["lumbar_extension_moment"].to_numpy()
    res["l5s1_top_down"] = compare_series(at(td, "l5s1_extension_moment_nm"), lumbar)
    res["l5s1_bottom_up"] = compare_series(at(bu, "l5s1_extension_moment_nm"), lumbar)
    res["l5s1_td_vs_bu"] = compare_series(at(td, "l5s1_extension_moment_nm"), at(bu, "l5s1_extension_moment_nm"))
    print(f"\nOpenSim gait2354 validation, joint centres: {which}")
    for k, v in res.items():
        print(f"  {k:24s} RMS {v['rmse']:6.2f} N·m = {v['rmse_percent_of_peak']:5.1f} % of peak "
              f"{v['reference_peak']:6.1f} N·m, r = {v['pearson_r']:.3f}")
    return res


def test_gait2354_model_joint_centres(gait):
    r = _run(gait, "model")
    for k in ("r_hip_flexion", "l_hip_flexion", "r_knee_angle", "l_knee_angle", "r_ankle_angle", "l_ankle_angle"):
        assert r[k]["pearson_r"] >= 0.95, k
    # target met: RMS <= 10 % of peak
    for k in ("r_hip_flexion", "r_ankle_angle", "l_ankle_angle"):
        assert r[k]["rmse_percent_of_peak"] <= 10.0, k
    # target missed (measured 11.0 % and 12.1 %, 24.6 %): guards
    assert r["l_hip_flexion"]["rmse_percent_of_peak"] <= 12.0
    assert r["r_knee_angle"]["rmse_percent_of_peak"] <= 13.5
    assert r["l_knee_angle"]["rmse_percent_of_peak"] <= 27.0
    assert r["l5s1_top_down"]["pearson_r"] >= 0.88
    assert r["l5s1_top_down"]["rmse_percent_of_peak"] <= 21.0


def test_gait2354_liftrisk_joint_centres(gait):
    r = _run(gait, "own")
    for k in ("r_hip_flexion", "l_hip_flexion", "r_knee_angle", "l_knee_angle", "r_ankle_angle", "l_ankle_angle"):
        assert r[k]["pearson_r"] >= 0.9, k
    assert r["r_ankle_angle"]["rmse_percent_of_peak"] <= 10.0
    assert r["l_ankle_angle"]["rmse_percent_of_peak"] <= 10.0
    # hip centres (Harrington) sit 35-39 mm anterior of the scaled model's: 28-38 % RMS at the hip
    assert r["r_hip_flexion"]["rmse_percent_of_peak"] <= 32.0
    assert r["l5s1_top_down"]["pearson_r"] >= 0.75


# ----------------------------------------------------------------------------- algorithm check
@pytest.fixture(scope="module")
def model_id(shared_data):
    return _model_id(shared_data)


def _model_id(shared_data, grf_cutoff_hz=None):
    """liftrisk's Newton-Euler sums on the scaled gait2354 model posed by OpenSim's own IK
    (coordinates low-pass 6 Hz like the ID setup, GRF unfiltered like OpenSim's ID), with the
    model's masses, CoMs and inertias, projected on the model's generalised-force directions
    (rotation axis; plus d(origin)/dq for the knee's coupled translation)."""
    from liftrisk.io import read_mot, read_opensim_grf, read_sto
    from liftrisk.kinetics.inverse_dynamics import _resample_grf, cut_load, rigid_body_state
    from liftrisk.processing.filters import butter_lowpass

    helper = _load_helper()
    d = shared_data / "opensim_gait2354"
    if not (d / "inverse_dynamics.sto").exists():
        pytest.skip("opensim_gait2354 not in shared data")
    model = helper.read_model_dynamics(d / "subject01_simbody.osim")
    ik, _ = read_mot(d / "subject01_walk1_ik.mot")
    ref, _ = read_sto(d / "inverse_dynamics.sto")
    t = ik.index.to_numpy()
    linear = ("pelvis_tx", "pelvis_ty", "pelvis_tz")  # m; every other coordinate is in degrees
    coords = {c: butter_lowpass(ik[c].to_numpy() if c in linear else np.deg2rad(ik[c].to_numpy()), 60.0, 6.0)
              for c in ik.columns}
    fk = helper.model_forward_kinematics(model, coords)
    st = {}
    for b in helper._CHAIN:
        body = model["bodies"][b]
        com = fk[b]["origin"] + np.einsum("tij,j->ti", fk[b]["R"], body["com"])
        st[b] = rigid_body_state(body["mass"], com, fk[b]["R"], body["inertia"], t, name=b)
    grf = read_opensim_grf(d / "subject01_walk1_grf.mot", d / "subject01_walk1_grf.xml")
    if grf_cutoff_hz:
        from liftrisk.processing.filters import lowpass

        grf = [lowpass(g, grf_cutoff_hz) for g in grf]
    pts = helper.model_posed_points(model, helper.read_model(d / "subject01_simbody.osim")["markers"], fk)
    out = {"_posed": (Motion.from_points(pts, time_s=t), grf, ref, fk)}
    for g in grf:
        s = g.foot[0]
        load = _resample_grf(g, t, 0.0)
        stance = np.interp(ref.index.to_numpy(), g.time_s, g.force_n[:, 2]) > 20.0
        foot = [f"talus_{s}", f"calcn_{s}", f"toes_{s}"]
        for coord, bodies, child in ((f"ankle_angle_{s}", foot, f"talus_{s}"),
                                     (f"knee_angle_{s}", [*foot, f"tibia_{s}"], f"tibia_{s}"),
                                     (f"hip_flexion_{s}", [*foot, f"tibia_{s}", f"femur_{s}"], f"femur_{s}"),
                                     (f"hip_adduction_{s}", [*foot, f"tibia_{s}", f"femur_{s}"], f"femur_{s}")):
            f, m = cut_load(st, bodies, fk[child]["origin"], [load])
            tau = np.sum(m * fk[child]["axes"][coord], axis=1)
            if coord in fk[child]["dtrans"]:
                tau = tau + np.sum(f * fk[child]["dtrans"][coord], axis=1)
            out[coord] = (tau[stance], ref[f"{coord}_moment"].to_numpy()[stance])
    f, m = cut_load(st, ["torso"], fk["torso"]["origin"])
    for coord in ("lumbar_extension", "lumbar_bending"):
        out[coord] = (np.sum(m * fk["torso"]["axes"][coord], axis=1), ref[f"{coord}_moment"].to_numpy())
    return out


def test_gait2354_algorithm_check_model_parameters(model_id):
    """Same kinematics and segment parameters as OpenSim: the Newton-Euler sums must match.

    Measured 2026-11-26 (stance phase, RMS % of peak / r): hip flexion 2.1 / 4.5 %, hip
    adduction 4.8 / 3.1 %, ankles 0.2 / 0.7 % (r >= 0.999), right knee 4.6 % (r 0.999),
    lumbar extension/bending 2.8 / 2.0 % over 0.4-1.6 s (r >= 0.99). What is
    left is derivative estimation (OpenSim differentiates GCV splines, liftrisk uses finite
    differences) and the GRF resampling. The LEFT knee differs by 17.6 % of peak (10.9 N·m
    RMS, about +12 N·m through stance) although the left and right knee joints of the model
    are defined identically and the left ankle and hip agree to ~1-2 N·m: its error fits 0.55 x the
    frontal-plane knee moment (femur frame), i.e. a projection-axis difference inside the
    reference that this test cannot explain; it is guarded, not claimed.
    """
    from liftrisk.metrics import compare_series

    print("\nOpenSim gait2354, model kinematics (IK) + model segment parameters (algorithm check)")
    res = {}
    for k, pair in model_id.items():
        if k.startswith("_"):
            continue
        mine, theirs = pair
        res[k] = v = compare_series(mine, theirs)
        print(f"  {k:20s} RMS {v['rmse']:6.2f} N·m = {v['rmse_percent_of_peak']:5.1f} % of peak "
              f"{v['reference_peak']:6.1f} N·m, r = {v['pearson_r']:.4f}")
    for k, v in res.items():
        if k == "knee_angle_l":
            continue
        # 10 % of peak is the target; 2-7 N·m in absolute terms for these peaks
        assert v["rmse_percent_of_peak"] <= 10.0, k
        assert v["pearson_r"] >= 0.98, k
    for k in ("ankle_angle_r", "ankle_angle_l", "hip_flexion_r", "hip_flexion_l"):
        assert res[k]["rmse_percent_of_peak"] <= 6.0, k
    assert res["knee_angle_l"]["pearson_r"] >= 0.95
    assert res["knee_angle_l"]["rmse_percent_of_peak"] <= 20.0


def test_gait2354_de_leva_on_model_kinematics(model_id):
    """de Leva parameters and liftrisk's segment frames on the IK-posed model's joint centres.

    Separates the segment-parameter/frame choice from kinematics: the joint centres are the
    model's, posed by OpenSim's IK (filtered 6 Hz), the dynamics are liftrisk's `bottom_up`
    with de Leva masses, CoMs and radii (gait2354's own thigh is 12.4 % of body mass vs de
    Leva's 14.2 %), and the sagittal moments are liftrisk's (distal-segment y axis).
    Measured 2026-11-26 (stance, RMS % of peak / r): hips 4.2 / 6.1 % (r 0.996 / 0.995),
    ankles 1.8 / 2.0 % (r 1.000), knees 8.6 / 18.5 % (r 0.998 / 0.989), i.e. 1-4 % of peak
    worse than the model's own parameters (the left knee carries the reference's offset
    described above). Tolerances: the issue's 10 % target where met, +2 % of peak guards
    elsewhere.
    """
    from liftrisk.kinetics import bottom_up
    from liftrisk.metrics import compare_series

    m, grf, ref, fk = model_id["_posed"]
    bu = bottom_up(m, Subject("male", 72.6, 1.80), grf, frame="pelvis")
    t = ref.index.to_numpy()
    assert np.allclose(bu.index.to_numpy(), t, atol=1e-6)
    print("\nOpenSim gait2354, model kinematics (IK) + de Leva parameters (liftrisk bottom_up); "
          "last column: the same moment projected on the model's joint axis")
    res, res_axis = {}, {}
    body = {"hip": "femur", "knee": "tibia", "ankle": "talus"}
    for side, g in zip("rl", grf, strict=True):
        stance = np.interp(t, g.time_s, g.force_n[:, 2]) > 20.0
        for mine, theirs, sign in JOINTS:
            r = ref[f"{theirs}_{side}_moment"].to_numpy()[stance]
            res[f"{side}_{theirs}"] = v = compare_series(sign * bu[f"{side}_{mine}_moment_nm"].to_numpy()[stance], r)
            joint = mine.split("_")[0]
            moment = bu[[f"{side}_{joint}_moment_{c}_nm" for c in "xyz"]].to_numpy()
            axis = fk[f"{body[joint]}_{side}"]["axes"][f"{theirs}_{side}"]
            res_axis[f"{side}_{theirs}"] = a = compare_series(np.sum(moment * axis, axis=1)[stance], r)
            print(f"  {side}_{theirs:18s} RMS {v['rmse']:6.2f} N·m = {v['rmse_percent_of_peak']:5.1f} % of peak "
                  f"{v['reference_peak']:6.1f} N·m, r = {v['pearson_r']:.4f} | model axis "
                  f"{a['rmse_percent_of_peak']:5.1f} %, r = {a['pearson_r']:.4f}")
    # the model's oblique ankle axis fits its own ankle moments better (measured 0.5 / 0.9 %),
    # its knee axis does not fit better than liftrisk's hip-line axis (measured 9.9 / 22.5 %)
    for k in ("r_ankle_angle", "l_ankle_angle"):
        assert res_axis[k]["rmse_percent_of_peak"] <= res[k]["rmse_percent_of_peak"], k
    for k in ("r_knee_angle", "l_knee_angle"):
        assert res_axis[k]["rmse_percent_of_peak"] >= res[k]["rmse_percent_of_peak"], k
    for k in ("r_hip_flexion", "l_hip_flexion", "r_knee_angle", "r_ankle_angle", "l_ankle_angle"):
        assert res[k]["rmse_percent_of_peak"] <= 10.0, k
        assert res[k]["pearson_r"] >= 0.99, k
    assert res["l_knee_angle"]["rmse_percent_of_peak"] <= 21.0
    assert res["l_knee_angle"]["pearson_r"] >= 0.98


def test_gait2354_grf_filter_mismatch(shared_data, model_id):
    """Filtering the GRF at the coordinates' 6 Hz moves liftrisk AWAY from this reference.

    OpenSim's ID filtered only the coordinates (6 Hz) and used the raw 600 Hz plate data, so
    the reference itself carries the classic marker/GRF cut-off mismatch (Kristianslund et
    al. 2012, J Biomech 45:666-671: impact-phase artefacts). Matching cut-offs is the better
    practice for lifting analyses, but against this reference it raises the hip and knee
    differences (measured 2026-11-26, stance RMS: right ankle 0.3 -> 5.7 N·m, right knee
    2.7 -> 5.7, right hip 1.3 -> 5.2, left ankle 0.7 -> 3.6, left hip 2.1 -> 4.2); the check is that
    the mean RMS over the six lower-limb moments grows by at least 1 N·m (3.0 -> 6.0 N·m).
    """
    from liftrisk.metrics import rmse

    filt = _model_id(shared_data, grf_cutoff_hz=6.0)
    keys = [f"{j}_{s}" for s in "rl" for j in ("ankle_angle", "knee_angle", "hip_flexion")]
    raw_rms = np.mean([rmse(*model_id[k]) for k in keys])
    filt_rms = np.mean([rmse(*filt[k]) for k in keys])
    print(f"\nmean stance RMS, GRF unfiltered {raw_rms:.2f} N·m, GRF 6 Hz {filt_rms:.2f} N·m")
    assert filt_rms >= raw_rms + 1.0
