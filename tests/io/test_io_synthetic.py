"""Readers/writers on synthetic files: round trips, frames, units, clear errors.

References are independent of the code under test: hand-written file text, the rotation
written out by hand, analytic force-plate statics, and the raw text of written files.
"""

import json

import ezc3d
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liftrisk.core import Motion
from liftrisk.errors import DataQualityError, InputFileError, UnitsError, UnknownFormatError
from liftrisk.io import (
    Y_UP_TO_Z_UP,
    ImuRecording,
    Keypoints2D,
    plate_wrench_to_lab,
    read_c3d,
    read_coco_json,
    read_imu_csv,
    read_keypoints_csv,
    read_keypoints_json,
    read_mediapipe_world_json,
    read_mot,
    read_motion,
    read_opensim_grf,
    read_trc,
    write_imu_csv,
    write_keypoints_csv,
    write_mot,
    write_trc,
)

TRC_HEAD = ("PathFileType\t4\t(X/Y/Z)\tx.trc\n"
            "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
            "100.00\t100.00\t3\t2\t{unit}\t100.00\t1\t3\n"
            "Frame#\tTime\tA\t\t\tB\t\t\n"
            "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\n\n")


def _trc(tmp_path, rows, unit="mm", name="x.trc"):
    f = tmp_path / name
    f.write_text(TRC_HEAD.format(unit=unit) + "\n".join(rows) + "\n")
    return f


def _body(n=5, seed=0):
    """A 'body' of 4 points about 1.7 m tall (m, Z-up)."""
    rng = np.random.default_rng(seed)
    base = np.array([[0, 0, 1.7], [0, 0.2, 1.0], [0, -0.2, 1.0], [0.1, 0, 0.05]])
    pts = base[None] + 0.01 * rng.normal(size=(n, 4, 3))
    return Motion(time_s=np.arange(n) / 100.0, positions_m=pts, point_names=("head", "l_hip", "r_hip", "toe"),
                  rate_hz=100.0)


# ------------------------------------------------------------------ frames
def test_y_up_rotation_is_proper_and_maps_axes():
    r = Y_UP_TO_Z_UP
    assert np.allclose(r @ r.T, np.eye(3)) and np.isclose(np.linalg.det(r), 1.0)
    assert np.allclose(r @ [0, 1, 0], [0, 0, 1])    # OpenSim up -> liftrisk up
    assert np.allclose(r @ [1, 0, 0], [1, 0, 0])    # forward stays forward
    assert np.allclose(r @ [0, 0, 1], [0, -1, 0])   # OpenSim right -> liftrisk -left


def test_read_trc_hand_written_file_units_and_frame(tmp_path):
    f = _trc(tmp_path, ["1\t0.00\t100\t1700\t50\t0\t1000\t-200",
                        "2\t0.01\t101\t1701\t51\t\t\t",
                        "3\t0.02\t102\t1702\t52\t2\t1002\t-202"])
    m = read_trc(f)
    # A (x=100, y=1700, z=50) mm Y-up -> (0.1, -0.05, 1.7) m Z-up, written out by hand
    assert np.allclose(m["A"][0], [0.1, -0.05, 1.7])
    assert np.allclose(m["B"][0], [0.0, 0.2, 1.0])
    assert np.all(np.isnan(m["B"][1]))  # empty fields = missing marker
    assert m.rate_hz == 100.0 and m.meta["file_units"] == "mm" and m.meta["file_frame"] == "y_up"
    mz = read_trc(f, frame="z_up")
    assert np.allclose(mz["A"][0], [0.1, 1.7, 0.05])


def test_trc_writer_text_and_round_trip(tmp_path):
    m = _body()
    f = tmp_path / "out.trc"
    write_trc(m, f, units="mm")
    lines = f.read_text().splitlines()
    assert lines[2].split("\t")[4] == "mm" and lines[3].split("\t")[2] == "head"
    first = [float(v) for v in lines[6].split("\t")[2:5]]
    x, y, z = m["head"][0]
    assert np.allclose(first, [1000 * x, 1000 * z, -1000 * y], atol=1e-3)  # Y-up mm, by hand
    back = read_trc(f)
    assert back.point_names == m.point_names
    assert np.allclose(back.positions_m, m.positions_m, atol=1e-9)
    assert np.allclose(back.time_s, m.time_s)


def test_writers_never_overwrite(tmp_path):
    m = _body()
    f = tmp_path / "keep.trc"
    f.write_text("precious")
    with pytest.raises(InputFileError, match="already exists"):
        write_trc(m, f)
    assert f.read_text() == "precious"
    for writer in (write_keypoints_csv,):
        with pytest.raises(InputFileError, match="overwrite=True"):
            writer(m, f)
    with pytest.raises(InputFileError):
        write_mot(pd.DataFrame({"a": [1.0]}, index=[0.0]), f)
    assert f.read_text() == "precious"
    write_trc(m, f, overwrite=True)
    assert read_trc(f).n_points == 4


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10_000), st.sampled_from(["mm", "m"]), st.sampled_from(["y_up", "z_up"]))
def test_trc_round_trip_property(tmp_path, seed, units, frame):
    m = _body(n=4, seed=seed)
    rng = np.random.default_rng(seed)
    pos = np.array(m.positions_m)
    pos[rng.integers(0, 4), rng.integers(0, 4)] = np.nan
    m = m.replace(positions_m=pos)
    f = tmp_path / f"rt_{seed}_{units}_{frame}.trc"
    write_trc(m, f, units=units, frame=frame, overwrite=True)
    back = read_trc(f, frame=frame)
    assert np.array_equal(np.isnan(back.positions_m), np.isnan(pos))
    assert np.allclose(back.positions_m, pos, atol=1e-6, equal_nan=True)


# ------------------------------------------------------------------ errors
def test_mm_declared_as_m_raises_units_error(tmp_path):
    f = _trc(tmp_path, ["1\t0.00\t100\t1700\t50\t0\t1000\t-200",
                        "2\t0.01\t101\t1701\t51\t1\t1001\t-201"], unit="m")
    with pytest.raises(UnitsError, match=r"x.trc.*look like millimetres.*'mm'"):
        read_trc(f)
    g = _trc(tmp_path, ["1\t0.00\t0.1\t1.7\t0.05\t0\t1.0\t-0.2"], unit="mm", name="y.trc")
    with pytest.raises(UnitsError, match="look like metres"):
        read_trc(g)
    assert read_trc(f, units="mm")["A"][0][2] == pytest.approx(1.7)


def test_clear_errors_for_bad_files(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        read_trc(tmp_path / "nope.trc")
    empty = tmp_path / "empty.trc"
    empty.write_text("")
    with pytest.raises(InputFileError, match="empty"):
        read_trc(empty)
    with pytest.raises(InputFileError, match="no frames"):
        read_trc(_trc(tmp_path, [], name="head_only.trc"))
    nan = _trc(tmp_path, ["1\t0.00\t\t\t\t\t\t", "2\t0.01\t\t\t\t\t\t"], name="nan.trc")
    with pytest.raises(DataQualityError, match="missing"):
        read_trc(nan)
    bad = tmp_path / "notes.xyz"
    bad.write_text("hello")
    with pytest.raises(UnknownFormatError, match="unknown format"):
        read_motion(bad)


# ------------------------------------------------------------------ MOT / STO and GRF
def test_mot_hand_written_and_round_trip(tmp_path):
    f = tmp_path / "ik.mot"
    f.write_text("Coordinates\nversion=1\nnRows=2\nnColumns=3\ninDegrees=yes\n\nUnits are S.I.\nendheader\n"
                 "time\tknee_angle_r\tpelvis_tx\n0.0\t-5.5\t0.6\n0.5\t-10\t0.7\n")
    df, head = read_mot(f)
    assert head["inDegrees"] == "yes" and head["name"] == "Coordinates" and head["description"] == ["Units are S.I."]
    assert df.index.name == "time_s" and df.loc[0.5, "knee_angle_r"] == -10.0
    out = tmp_path / "copy.mot"
    write_mot(df, out, in_degrees=True)
    df2, head2 = read_mot(out)
    pd.testing.assert_frame_equal(df, df2)
    assert head2["inDegrees"] == "yes"
    with pytest.raises(UnknownFormatError, match="OpenSim table"):
        read_motion(out)


def _grf_file(tmp_path, prefixes=("r_", "l_")):
    t = np.arange(5) / 100.0
    cols = {}
    for k, pre in enumerate(prefixes):
        cols |= {f"{pre}ground_force_vx": 10.0 + k, f"{pre}ground_force_vy": 400.0 + k,
                 f"{pre}ground_force_vz": 5.0, f"{pre}ground_force_px": 0.3, f"{pre}ground_force_py": 0.0,
                 f"{pre}ground_force_pz": 0.1 * (k + 1), f"{pre}ground_torque_x": 0.0,
                 f"{pre}ground_torque_y": 2.0, f"{pre}ground_torque_z": 0.0}
    df = pd.DataFrame({c: np.full(5, v) for c, v in cols.items()}, index=pd.Index(t, name="time_s"))
    f = tmp_path / "t_grf.mot"
    write_mot(df, f, overwrite=True)
    return f


def test_grf_prefixes_feet_and_frame(tmp_path):
    grfs = read_opensim_grf(_grf_file(tmp_path))
    by_foot = {g.foot: g for g in grfs}
    assert set(by_foot) == {"right", "left"}
    r = by_foot["right"]
    assert np.allclose(r.force_n[0], [10.0, -5.0, 400.0])  # (vx, vy, vz) Y-up -> (vx, -vz, vy)
    assert np.allclose(r.cop_m[0], [0.3, -0.1, 0.0])
    assert np.allclose(r.free_moment_nm[0], [0.0, 0.0, 2.0])
    assert r.rate_hz == pytest.approx(100.0)


def test_grf_foot_from_external_loads_xml(tmp_path):
    f = _grf_file(tmp_path, prefixes=("", "1_"))
    assert [g.foot for g in read_opensim_grf(f)] == ["", ""]
    xml = tmp_path / "loads.xml"
    xml.write_text("<OpenSimDocument><ExternalLoads><objects>"
                   "<ExternalForce name='a'><applied_to_body>calcn_l</applied_to_body>"
                   "<force_identifier>ground_force_v</force_identifier><point_identifier>ground_force_p"
                   "</point_identifier><torque_identifier>ground_torque_</torque_identifier></ExternalForce>"
                   "<ExternalForce name='b'><applied_to_body>calcn_r</applied_to_body>"
                   "<force_identifier>1_ground_force_v</force_identifier><point_identifier>1_ground_force_p"
                   "</point_identifier><torque_identifier>1_ground_torque_</torque_identifier></ExternalForce>"
                   "</objects></ExternalLoads></OpenSimDocument>")
    grfs = read_opensim_grf(f, external_loads=xml)
    assert [(g.name, g.foot) for g in grfs] == [("a", "left"), ("b", "right")]
    assert grfs[1].force_n[0, 0] == 11.0


# ------------------------------------------------------------------ force plates (analytic statics)
@settings(max_examples=50, deadline=None)
@given(st.floats(-0.2, 0.2), st.floats(-0.25, 0.25), st.floats(200, 1500), st.floats(-100, 100),
       st.floats(-100, 100), st.floats(-5, 5), st.floats(0.005, 0.06), st.booleans())
def test_plate_cop_recovers_point_of_application(x, y, fz, fx, fy, tz, depth, positive_origin):
    """A force F applied at r on the surface plus a free moment Tz: the transducer (origin
    `depth` m below the surface centre, plate Z down) measures M = (r - p_o) x F + Tz·z.
    The reader must give back r and Tz whatever sign convention ORIGIN was stored with
    (a depth > 0 is needed to tell the conventions apart, as in Visual3D)."""
    o = np.array([0.003, -0.002, -depth])  # C3D: transducer origin -> surface centre, z <= 0
    p_o = -o                                # transducer origin seen from the surface centre
    r = np.array([x, y, 0.0])
    f = np.array([[fx, fy, fz]])
    m = np.cross(r - p_o, f[0])[None] + [[0.0, 0.0, tz]]
    # plate axes in the lab: x_p = lab x, y_p = -lab y, z_p = -lab z (Z down), centre (1, 2, 0)
    corners = np.array([[1.3, 1.75, 0], [0.7, 1.75, 0], [0.7, 2.25, 0], [1.3, 2.25, 0]])
    F, cop, T = plate_wrench_to_lab(f, m, -o if positive_origin else o, corners)
    assert np.allclose(cop[0], [1.0 + x, 2.0 - y, 0.0], atol=1e-9)
    assert np.allclose(F[0], [fx, -fy, -fz])
    assert np.allclose(T[0], [0.0, 0.0, -tz], atol=1e-9)


def _write_c3d(path, fz_sign=-1.0):
    """A 1 s C3D: 2 markers (mm) at 100 Hz, one TYPE-2 plate at 400 Hz loaded after 0.5 s with
    600 N applied 0.1 m along the plate x from the centre; ORIGIN z stored positive."""
    c = ezc3d.c3d()
    c["parameters"]["POINT"]["RATE"]["value"] = [100.0]
    c["parameters"]["POINT"]["LABELS"]["value"] = ("HEAD", "TOE")
    c["parameters"]["POINT"]["UNITS"]["value"] = ["mm"]
    pts = np.zeros((4, 2, 100))
    pts[:3, 0] = np.array([100.0, 200.0, 1700.0])[:, None]
    pts[:3, 1] = np.array([150.0, 200.0, 50.0])[:, None]
    pts[3] = 1.0
    pts[:3, 1, 10] = np.nan  # TOE missing in frame 10 (ezc3d stores residual -1)
    c["data"]["points"] = pts
    c["parameters"]["ANALOG"]["RATE"]["value"] = [400.0]
    c["parameters"]["ANALOG"]["LABELS"]["value"] = tuple("Fx1 Fy1 Fz1 Mx1 My1 Mz1".split())
    c["parameters"]["ANALOG"]["UNITS"]["value"] = ["N"] * 3 + ["Nmm"] * 3
    an = np.zeros((1, 6, 400))
    load = np.arange(400) >= 200
    fz = fz_sign * 600.0
    an[0, 2] = np.where(load, fz, 0.0) + 3.0     # +3 N offset removed by the ZERO baseline
    depth_mm = 40.0
    # r = (100, 0, 0) mm on the surface, origin 40 mm below: M = (r - p_o) x F, p_o = (0, 0, 40)
    m = np.cross([100.0, 0.0, -depth_mm], [0.0, 0.0, fz])
    for j in range(3):
        an[0, 3 + j] = np.where(load, m[j], 0.0)
    c["data"]["analogs"] = an
    c.add_parameter("FORCE_PLATFORM", "USED", [1])
    c.add_parameter("FORCE_PLATFORM", "TYPE", [2])
    c.add_parameter("FORCE_PLATFORM", "ZERO", [1, 10])
    c.add_parameter("FORCE_PLATFORM", "CHANNEL", np.arange(1.0, 7.0).reshape(6, 1))
    c.add_parameter("FORCE_PLATFORM", "ORIGIN", np.array([[0.0], [0.0], [depth_mm]]))
    corners = np.array([[1300, 1750, 0], [700, 1750, 0], [700, 2250, 0], [1300, 2250, 0]], float).T
    c.add_parameter("FORCE_PLATFORM", "CORNERS", corners.reshape(3, 4, 1))
    c.add_parameter("EVENT", "USED", [1])
    c.add_parameter("EVENT", "TIMES", np.array([[0.0], [0.5]]))
    c.add_parameter("EVENT", "LABELS", ["Foot Strike"])
    c.add_parameter("EVENT", "CONTEXTS", ["Left"])
    c.add_parameter("SUBJECT", "WEIGHT", [61.2])
    c.write(str(path))
    return path


@pytest.mark.parametrize("fz_sign", [-1.0, 1.0])
def test_read_c3d_synthetic_plate(tmp_path, fz_sign):
    rec = read_c3d(_write_c3d(tmp_path / "s.c3d", fz_sign))
    m = rec.motion
    assert m.point_names == ("HEAD", "TOE") and m.rate_hz == 100.0 and m.n_frames == 100
    assert np.allclose(m["HEAD"][0], [0.1, 0.2, 1.7]) and np.isnan(m["TOE"][10]).all()
    assert rec.point_units == "mm" and rec.analog_rate_hz == 400.0 and rec.subject_mass_kg == pytest.approx(61.2)
    assert list(rec.events["label"]) == ["Foot Strike"] and rec.events["time_s"][0] == pytest.approx(0.5)
    (g,) = rec.ground_reactions
    loaded = g.time_s >= 0.5
    # ground on body is +600 N up whichever sign the file used; offset removed by ZERO
    assert np.allclose(g.force_n[loaded], [0, 0, 600.0]) and np.allclose(g.force_n[~loaded], 0.0)
    # plate x = lab x here: COP = centre (1.0, 2.0) + 0.1 m
    assert np.allclose(g.cop_m[loaded], [1.1, 2.0, 0.0]) and np.isnan(g.cop_m[~loaded]).all()
    assert rec.analogs.shape == (400, 6) and rec.analog_units["Mx1"] == "Nmm"


# ------------------------------------------------------------------ CSV layouts
def test_keypoints_csv_round_trip_and_text(tmp_path):
    m = _body().replace(confidence=np.full((5, 4), 0.5))
    f = tmp_path / "k.csv"
    write_keypoints_csv(m, f)
    header = f.read_text().splitlines()[0].split(",")
    assert header[:5] == ["time_s", "head_x_m", "head_y_m", "head_z_m", "head_conf"]
    back = read_keypoints_csv(f)
    assert np.allclose(back.positions_m, m.positions_m) and np.allclose(back.confidence, 0.5)
    assert read_motion(f).point_names == m.point_names


def test_keypoints_csv_errors(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("t,a_x_m\n0,1\n")
    with pytest.raises(InputFileError, match="time_s"):
        read_keypoints_csv(f)
    f.write_text("time_s,a_x_m,a_y_m,a_z_m,b_x_m,b_y_m,b_z_m\n0,0,0,1700,0,0,50\n")
    with pytest.raises(UnitsError, match="millimetres"):
        read_keypoints_csv(f)


def test_imu_csv_units_and_round_trip(tmp_path):
    f = tmp_path / "imu.csv"
    f.write_text("time_s,w_acc_x_g,w_acc_y_g,w_acc_z_g,w_gyr_x_degps,w_gyr_y_degps,w_gyr_z_degps\n"
                 "0,0,0,1,90,0,0\n0.02,0,0,1,90,0,0\n")
    rec = read_imu_csv(f)
    assert rec.sensors == ("w",) and rec.rate_hz == pytest.approx(50.0)
    assert rec.acc_mps2["w"][0, 2] == pytest.approx(9.80665)
    assert rec.gyr_radps["w"][0, 0] == pytest.approx(np.pi / 2)
    assert rec.stacked().shape == (2, 1, 6)
    out = tmp_path / "imu2.csv"
    write_imu_csv(rec, out)
    back = read_imu_csv(out)
    assert np.allclose(back.stacked(), rec.stacked())
    g = tmp_path / "partial.csv"
    g.write_text("time_s,w_acc_x_mps2\n0,1\n")
    with pytest.raises(InputFileError, match="lacks columns"):
        read_imu_csv(g)
    assert isinstance(rec, ImuRecording)


# ------------------------------------------------------------------ keypoint JSON
def test_openpose_folder_uses_registry_order(tmp_path):
    from liftrisk.core.skeletons import BODY25
    for i in range(3):
        kp = np.zeros((25, 3))
        kp[BODY25.index("RWrist")] = [100 + i, 200, 0.8]
        kp[BODY25.index("LAnkle")] = [50, 400, 0.0]  # confidence 0: not detected
        doc = {"people": [{"pose_keypoints_2d": kp.ravel().tolist()}]} if i != 1 else {"people": []}
        (tmp_path / f"vid_{i:012d}_keypoints.json").write_text(json.dumps(doc))
    k = read_keypoints_json(tmp_path, rate_hz=30.0)
    assert isinstance(k, Keypoints2D) and k.skeleton == "body25"
    assert k["RWrist"][2].tolist() == [102.0, 200.0] and np.isnan(k["RWrist"][1]).all()
    assert np.isnan(k["LAnkle"]).all() and np.allclose(k.time_s, [0, 1 / 30, 2 / 30])
    with pytest.raises(UnknownFormatError, match="2D image keypoints"):
        read_motion(tmp_path, rate_hz=30.0)
    with pytest.raises(InputFileError, match="rate_hz"):
        read_keypoints_json(tmp_path)


def test_coco_annotations_pick_largest_person(tmp_path):
    from liftrisk.core.skeletons import COCO17
    def ann(img, area, x):
        kp = np.zeros((17, 3))
        kp[COCO17.index("nose")] = [x, 10, 2]
        return {"image_id": img, "area": area, "keypoints": kp.ravel().tolist()}
    f = tmp_path / "coco.json"
    f.write_text(json.dumps({"annotations": [ann(2, 10, 1.0), ann(1, 50, 2.0), ann(1, 500, 3.0)]}))
    k = read_coco_json(f, rate_hz=10)
    assert k["nose"][:, 0].tolist() == [3.0, 1.0] and k.confidence[0, COCO17.index("nose")] == 1.0
    assert np.isnan(k["left_eye"]).all()


def test_mediapipe_world_frame(tmp_path):
    from liftrisk.core.skeletons import MEDIAPIPE33
    lms = [{"x": 0.0, "y": 0.0, "z": 0.0, "visibility": 0.9} for _ in range(33)]
    lms[MEDIAPIPE33.index("nose")] = {"x": 0.0, "y": -0.6, "z": -0.1, "visibility": 0.9}     # up, toward camera
    lms[MEDIAPIPE33.index("left_hip")] = {"x": 0.1, "y": 0.0, "z": 0.0, "visibility": 0.9}  # image right
    f = tmp_path / "mp.json"
    f.write_text(json.dumps({"rate_hz": 30, "frames": [{"world_landmarks": lms}, {"world_landmarks": lms}]}))
    m = read_mediapipe_world_json(f)
    assert np.allclose(m["nose"][0], [0.1, 0.0, 0.6])      # forward (toward camera), up
    assert np.allclose(m["left_hip"][0], [0.0, 0.1, 0.0])  # worker's left = +Y
    assert read_motion(f).n_frames == 2


def test_z_up_trc_read_as_y_up_gives_a_frame_warning(tmp_path):
    m = _body(n=5)
    f = tmp_path / "zup.trc"
    write_trc(m, f, frame="z_up")  # a Z-up lab file
    with pytest.warns(UserWarning, match="frame='z_up'"):
        wrong = read_trc(f)  # default y_up: the body ends up lying along -Y
    assert "frame_warning" in wrong.meta
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        right = read_trc(f, frame="z_up")
    assert np.allclose(right.positions_m, m.positions_m, atol=1e-9) and "frame_warning" not in right.meta
