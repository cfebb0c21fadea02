"""Plug-in Gait joint centres: the chord function and the Davis hip against analytic geometry
(constructed markers around known centres), the measurement precedence, partial marker sets,
and the real VU Amsterdam static trial against the lab's own joint centres (skipped without
../shared/data)."""

import ezc3d
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from liftrisk.core import Motion
from liftrisk.io import read_motion
from liftrisk.kinematics import joint_angles, joint_centres_from_markers
from liftrisk.kinematics.joint_centres import DE_LEVA_TRUNK_LENGTHS_M, NOTES_KEY, l5s1_from_thorax_markers
from liftrisk.kinematics.plugin_gait import (
    PlugInGaitMeasurements,
    chord_joint_centre,
    davis_hip_centres,
    plugin_gait_leg_centres,
    plugin_gait_measurements,
)

angles_st = st.tuples(*[st.floats(-np.pi, np.pi) for _ in range(3)])
shift_st = st.tuples(*[st.floats(-2.0, 2.0) for _ in range(3)])


def _rigid(points: dict, rotvec, shift) -> dict:
    r = Rotation.from_rotvec(np.asarray(rotvec, float)).as_matrix()
    return {k: np.atleast_2d(v) @ r.T + np.asarray(shift, float) for k, v in points.items()}


@settings(max_examples=60, deadline=None)
@given(angles_st, shift_st, st.floats(0.03, 0.08), st.floats(0.3, 0.5), st.floats(-0.6, 0.6))
def test_chord_function_recovers_a_constructed_knee_centre(rotvec, shift, delta, thigh_m, wand_angle):
    """A knee centre K, a hip H above it (thigh length L), the lateral marker at K + delta
    (perpendicular to the thigh) and a wand anywhere on the lateral side of the H-KNE line in
    the same plane: the chord function returns K exactly, in any pose (rigid motion)."""
    k = np.zeros(3)
    h = np.array([0.0, 0.0, thigh_m])
    kne = np.array([0.0, -delta, 0.0])                     # lateral = -Y for a right leg
    lateral = np.array([0.0, -np.cos(wand_angle), np.sin(wand_angle)])
    wand = 0.5 * (h + kne) + 0.1 * np.array([0.0, -1.0, 0.0]) + 0.05 * lateral
    pts = _rigid({"k": k, "h": h, "kne": kne, "wand": wand}, rotvec, shift)
    j = chord_joint_centre(pts["wand"], pts["h"], pts["kne"], delta)
    np.testing.assert_allclose(j, pts["k"], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1, 1), min_size=9, max_size=9), st.floats(0.02, 0.1))
def test_chord_function_properties(xyz, delta):
    """For any non-degenerate markers: |J - marker| = delta, (J - marker) is perpendicular to
    (proximal - J), J is coplanar with the three markers and on the far side from the wand."""
    a, b, c = (np.array(xyz[i:i + 3]) for i in (0, 3, 6))
    if np.linalg.norm(b - c) < 0.2 or np.linalg.norm(np.cross(a - c, b - c)) < 1e-2:
        return
    j = chord_joint_centre(a, b, c, delta)[0]
    assert np.isclose(np.linalg.norm(j - c), delta, atol=1e-9)
    assert abs(np.dot(j - c, b - j)) < 1e-9
    n = np.cross(a - c, b - c)
    assert abs(np.dot(j - c, n / np.linalg.norm(n))) < 1e-9
    e = (b - c) / np.linalg.norm(b - c)
    side = np.dot(np.cross(e, a - c), np.cross(e, j - c))
    assert side <= 1e-12


def _measurements(ll=900.0, xdis=None, ia=None):
    return PlugInGaitMeasurements({"l": ll, "r": ll}, {"l": 100.0, "r": 100.0}, {"l": 70.0, "r": 70.0},
                                  {"l": xdis, "r": xdis}, ia, 14.0)


@settings(max_examples=40, deadline=None)
@given(angles_st, shift_st)
def test_davis_hip_in_any_pelvis_pose(rotvec, shift):
    """Davis (1991) with Plug-in Gait's constants, worked by hand for LL = 900 mm and an
    inter-ASIS distance of 250 mm (marker radius 7 mm): C = 0.115 x 900 - 15.3 = 88.2 mm,
    X_dis = 0.1288 x 900 - 48.56 = 67.36 mm; x = 88.2 cos(0.5) sin(0.314) - 74.36 cos(0.314)
    = -46.82 mm, y = +-(125 - 88.2 sin(0.5)) = +-82.71 mm, z = -88.2 cos(0.5) cos(0.314) -
    74.36 sin(0.314) = -96.59 mm, in the pelvis frame (x anterior, y left, z up) at the
    ASIS mid-point; the same offsets hold in any pelvis pose."""
    pts = _rigid({"r": np.array([0.0, -0.125, 0.0]), "l": np.array([0.0, 0.125, 0.0]),
                  "s": np.array([-0.16, 0.0, 0.0]), "hr": np.array([-46.82, -82.71, -96.59]) / 1000,
                  "hl": np.array([-46.82, 82.71, -96.59]) / 1000}, rotvec, shift)
    right, left = davis_hip_centres(pts["r"], pts["l"], pts["s"], _measurements())
    np.testing.assert_allclose(right, pts["hr"], atol=2e-5)   # 0.02 mm: the hand values' rounding
    np.testing.assert_allclose(left, pts["hl"], atol=2e-5)


def test_davis_measured_asis_trochanter_and_inter_asis_distance():
    """Measured X_dis = 80 mm and inter-ASIS 260 mm replace the leg-length estimate and the
    marker distance: x = 88.2 cos(.5) sin(.314) - 87 cos(.314) = -58.84 mm, y = 130 - 42.29 =
    87.71 mm, z = -73.62 - 87 sin(.314) = -100.50 mm."""
    _, left = davis_hip_centres([[0, -0.125, 1.0]], [[0, 0.125, 1.0]], [[-0.16, 0, 1.0]],
                                _measurements(xdis=80.0, ia=260.0))
    np.testing.assert_allclose(left[0], np.array([-58.84, 87.71, 1000 - 100.50]) / 1000, atol=2e-5)


def _c3d_with_processing(path, markers: dict, processing: dict):
    c = ezc3d.c3d()
    c["parameters"]["POINT"]["RATE"]["value"] = [100.0]
    c["parameters"]["POINT"]["LABELS"]["value"] = tuple(markers)
    c["parameters"]["POINT"]["UNITS"]["value"] = ["mm"]
    n = next(iter(markers.values())).shape[0]
    pts = np.ones((4, len(markers), n))
    for i, v in enumerate(markers.values()):
        pts[:3, i, :] = (np.asarray(v) * 1000).T
    c["data"]["points"] = pts
    for k, v in processing.items():
        c.add_parameter("PROCESSING", k, [float(v)])
    c.write(str(path))


def _leg_markers(n=3):
    base = {"RASI": [0.05, -0.12, 1.0], "LASI": [0.05, 0.12, 1.0], "RPSI": [-0.1, -0.05, 1.03],
            "LPSI": [-0.1, 0.05, 1.03], "RTHI": [0.0, -0.16, 0.75], "LTHI": [0.0, 0.16, 0.75],
            "RKNE": [0.0, -0.14, 0.5], "LKNE": [0.0, 0.14, 0.5], "RTIB": [0.0, -0.13, 0.3],
            "LTIB": [0.0, 0.13, 0.3], "RANK": [-0.02, -0.12, 0.08], "LANK": [-0.02, 0.12, 0.08],
            "RHEE": [-0.08, -0.1, 0.03], "LHEE": [-0.08, 0.1, 0.03], "RTOE": [0.15, -0.1, 0.03],
            "LTOE": [0.15, 0.1, 0.03]}
    return {k: np.tile(v, (n, 1)) for k, v in base.items()}


def test_measurements_from_c3d_processing_group(tmp_path):
    """Vicon's PROCESSING values (mm) read through `read_motion` are used, with their source."""
    f = tmp_path / "pig.c3d"
    _c3d_with_processing(f, _leg_markers(), {"LLegLength": 905, "RLegLength": 895, "LKneeWidth": 104,
                                            "RKneeWidth": 106, "LAnkleWidth": 72, "RAnkleWidth": 74,
                                            "MarkerDiameter": 16, "InterAsisDistance": 0})
    m = read_motion(f)
    pg = plugin_gait_measurements(m)
    assert pg.leg_length_mm == {"l": 905.0, "r": 895.0}
    assert pg.knee_width_mm == {"l": 104.0, "r": 106.0}
    assert pg.ankle_width_mm == {"l": 72.0, "r": 74.0}
    assert pg.marker_diameter_mm == 16.0
    assert pg.inter_asis_mm is None                       # Vicon's 0 = not measured
    assert pg.sources["knee_width"] == "C3D PROCESSING" and pg.notes() == []
    # the knee centre is (width / 2 + marker radius) from KNE: 61 mm right, 60 mm left
    jc = plugin_gait_leg_centres(m, pg)
    assert np.isclose(np.linalg.norm(jc["r_knee"][0] - m["RKNE"][0]), 0.061)
    assert np.isclose(np.linalg.norm(jc["l_knee"][0] - m["LKNE"][0]), 0.060)


def test_measurement_precedence_static_medial_markers_and_defaults():
    """Given > static trial (leg length from the ASI -> KNE -> ANK path; widths from medial
    markers minus one marker diameter) > defaults (one note)."""
    mk = _leg_markers()
    static = dict(mk)
    static["RKNM"] = mk["RKNE"] + [0.0, 0.125, 0.0]      # 125 mm between marker centres
    static["RMED"] = mk["RANK"] + [0.0, 0.09, 0.0]
    s = Motion.from_points(static, rate_hz=100)
    pg = plugin_gait_measurements(Motion.from_points(mk, rate_hz=100), s, leg_length_mm={"l": 880.0, "r": 870.0})
    assert pg.leg_length_mm == {"l": 880.0, "r": 870.0} and pg.sources["leg_length"] == "given"
    assert np.isclose(pg.knee_width_mm["r"], 125.0 - 14.0) and np.isclose(pg.ankle_width_mm["r"], 90.0 - 14.0)
    assert pg.knee_width_mm["l"] == 100.0 and "default" in pg.sources["knee_width"]
    pg2 = plugin_gait_measurements(Motion.from_points(mk, rate_hz=100), s)
    ll = np.linalg.norm(np.subtract([0.05, -0.12, 1.0], [0.0, -0.14, 0.5])) + \
        np.linalg.norm(np.subtract([0.0, -0.14, 0.5], [-0.02, -0.12, 0.08]))
    assert np.isclose(pg2.leg_length_mm["r"], 1000 * ll) and pg2.sources["leg_length"] == "static trial"
    assert len(pg2.notes()) == 1 and "assumed" in pg2.notes()[0]


def test_bad_measurement_is_a_clear_error():
    from liftrisk.errors import DataQualityError

    with pytest.raises(DataQualityError, match="knee_width"):
        plugin_gait_measurements(Motion.from_points(_leg_markers(), rate_hz=100), knee_width_mm=-5)
    with pytest.raises(DataQualityError, match="unknown Plug-in Gait measurement"):
        plugin_gait_measurements(Motion.from_points(_leg_markers(), rate_hz=100), knee_with_mm=100)


def test_lower_body_only_file_gives_legs_and_one_note_per_missing_part():
    jc = joint_centres_from_markers(Motion.from_points(_leg_markers(), rate_hz=100))
    for name in ("l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle", "l5s1", "l_heel", "r_toe"):
        assert name in jc
    notes = jc.meta[NOTES_KEY]
    assert sum("upper-body" in n for n in notes) == 1
    ang = joint_angles(jc)
    assert np.isfinite(ang["r_knee_flexion"]).all() and np.isnan(ang["trunk_flexion"]).all()


def test_upper_body_only_file_gives_thorax_l5s1():
    """Thorax markers of an upright trunk: L5/S1 lies (0.2421 + 0.2155) / 0.2421 = 1.890 times
    the C7 -> STRN height below C7 (de Leva 1996 Table 4, male), on the thorax axis."""
    up = {"C7": [-0.08, 0, 1.50], "CLAV": [0.08, 0, 1.43], "STRN": [0.10, 0, 1.26], "T10": [-0.10, 0, 1.26],
          "RSHO": [0, -0.19, 1.45], "LSHO": [0, 0.19, 1.45], "RELB": [0, -0.21, 1.15], "LELB": [0, 0.21, 1.15],
          "RWRA": [0.02, -0.2, 0.9], "RWRB": [-0.02, -0.2, 0.9], "LWRA": [0.02, 0.2, 0.9],
          "LWRB": [-0.02, 0.2, 0.9]}
    jc = joint_centres_from_markers(Motion.from_points({k: np.array([v]) for k, v in up.items()}, rate_hz=1))
    ratio = (DE_LEVA_TRUNK_LENGTHS_M["male"]["upt_alt"] + DE_LEVA_TRUNK_LENGTHS_M["male"]["mpt"]) / 0.2421
    assert np.isclose(ratio, 1.8901, atol=1e-4)
    np.testing.assert_allclose(jc["l5s1"][0], [-0.08, 0.0, 1.50 - 0.24 * ratio], atol=1e-9)
    assert not any(n in jc for n in ("l_hip", "l_knee"))
    assert sum("lower-body" in n for n in jc.meta[NOTES_KEY]) == 1
    np.testing.assert_allclose(l5s1_from_thorax_markers(*[up[k] for k in ("C7", "CLAV", "STRN", "T10")]),
                               jc["l5s1"])


def test_de_leva_trunk_lengths_match_the_package_table():
    from liftrisk.kinetics.segments import de_leva_table

    tab = de_leva_table()
    for sex in ("male", "female"):
        assert DE_LEVA_TRUNK_LENGTHS_M[sex]["upt_alt"] == tab[("upper_trunk_UPT_alt", sex)]["ref_segment_length_m"]
        assert DE_LEVA_TRUNK_LENGTHS_M[sex]["mpt"] == tab[("middle_trunk_MPT", sex)]["ref_segment_length_m"]


# ----------------------------------------------------------------------------- real data
def _lab_joint(seg, joint):
    names = list(np.atleast_1d(seg.joint_name))
    i = names.index(joint)
    return np.asarray(seg.joint)[:, 3 * i:3 * i + 3]


def test_vua_static_trial_against_the_labs_joint_centres(shared_data):
    """The VU Amsterdam static trial (Plug-in Gait markers, no medial markers, no PROCESSING
    group; leg length from its own markers, knee 100 mm / ankle 70 mm default widths) against
    the lab's own 18-segment model of the same frames (`neu_*_vuaTraj.mat`: joint centres from
    pointer-digitised bony landmarks, an independent method). Measured (median over frames):
    knees 13.9 / 17.9 mm, ankles 18.0 / 11.7 mm, hips 33.8 / 33.7 mm (Davis 3.1 cm lower),
    L5/S1 14.9 mm (Reed). Tolerances: 25 mm knees/ankles, 40 mm hips, 25 mm L5/S1."""
    sio = pytest.importorskip("scipy.io")
    d = shared_data / "vua_stoop_lifts" / "3D"
    c3d, mat = d / "neu_t169_f250f350.c3d", d / "neu_t169_f250f350_vuaTraj.mat"
    if not (c3d.exists() and mat.exists()):
        pytest.skip("vua static trial not available")
    st_m = read_motion(c3d)
    jc = joint_centres_from_markers(st_m, static=st_m)
    seg = {s.name: s for s in sio.loadmat(mat, squeeze_me=True, struct_as_record=False)["trajSnippet"].segment}
    pairs = {"r_hip": ("Pelvis", "Rhip", 0.040), "l_hip": ("Pelvis", "Lhip", 0.040),
             "l5s1": ("Pelvis", "L5S1", 0.025), "r_knee": ("Rthigh", "Knee", 0.025),
             "l_knee": ("Lthigh", "Knee", 0.025), "r_ankle": ("Rshank", "Ankle", 0.025),
             "l_ankle": ("Lshank", "Ankle", 0.025)}
    for name, (s, j, tol) in pairs.items():
        dist = np.nanmedian(np.linalg.norm(jc[name] - _lab_joint(seg[s], j), axis=1))
        assert dist < tol, f"{name}: {1000 * dist:.1f} mm from the lab's centre"


def test_info_lists_the_subject_measurements(tmp_path):
    from liftrisk.cli.files import info_lines

    f = tmp_path / "pig.c3d"
    _c3d_with_processing(f, _leg_markers(), {"LLegLength": 905, "RKneeWidth": 106, "Bodymass": 70})
    line = next(x for x in info_lines(f) if x.startswith("subject measurements"))
    assert "LLegLength 905" in line and "RKneeWidth 106" in line and "Bodymass" not in line


def test_pelvis_without_legs_falls_back_to_harrington_with_a_note():
    mk = {k: v for k, v in _leg_markers().items() if k in ("RASI", "LASI", "RPSI", "LPSI")}
    jc = joint_centres_from_markers(Motion.from_points(mk, rate_hz=100), "plugin_gait")
    assert "l_hip" in jc and "l_knee" not in jc
    assert any("Harrington" in n for n in jc.meta[NOTES_KEY])
