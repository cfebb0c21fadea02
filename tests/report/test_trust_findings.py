"""The report never contradicts itself (issue 12): each case fails on the old wording."""

import json

import numpy as np
import pytest

from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.kinetics.inverse_dynamics import demo_posture
from liftrisk.pipeline import assess_motion, export_csv
from liftrisk.report import findings
from liftrisk.synthetic import synthetic_lift

SUBJECT = Subject("male", 80.0, 1.78)
NO_BANDS = AssessmentSettings(uncertainty_draws=0)


@pytest.fixture(scope="module")
def unloaded():
    return assess_motion(demo_posture(30), SUBJECT, None, NO_BANDS)


def test_trunk_extension_is_worded_as_extension(unloaded):
    unloaded.angles_rad["trunk_flexion"] = np.radians(-9.0)
    text = " ".join(findings(unloaded))
    assert "trunk extended 9°" in text
    assert "flexed -" not in text


def test_an_unloaded_movement_is_not_called_the_lift(unloaded):
    s = {**unloaded.summary, "peak_compression_n": 4379.0, "box_kg": 0.0}
    assert not unloaded.lifts
    text = " ".join(findings(unloaded, s))
    assert "this movement puts some workers at risk" in text
    assert "the lift" not in text.replace("No lift", "")


def test_workload_above_maximum_is_implausible_not_a_finding(unloaded):
    s = {**unloaded.summary, "peak_workload_joint": "r_shoulder", "peak_workload_ratio": 2.14, "box_kg": 0.0}
    text = " ".join(findings(unloaded, s))
    assert "Implausible joint workload" in text and "214%" in text and "no load in the hands" in text
    assert "Highest joint workload" not in text


def test_bands_and_intervals_in_the_exports_and_findings(tmp_path):
    m = synthetic_lift(SUBJECT, 10.0, noise_m=0.005, rate_hz=30.0, still_s=0.5)
    a = assess_motion(m, SUBJECT, 10.0, AssessmentSettings(uncertainty_draws=20, uncertainty_seed=3))
    names = {p.name for p in export_csv(a, tmp_path, "x")}
    assert {"x_timeseries.csv", "x_bands.csv", "x_lift_intervals.csv", "x_uncertainty.json"} <= names
    doc = json.loads((tmp_path / "x_uncertainty.json").read_text())
    c = doc["peaks"]["compression_n"]
    assert c["p05"] < c["value"] < c["p95"]
    assert 0.0 <= doc["lifts"][0]["p_li_gt_1"] <= 1.0
    assert "(90 % interval " in findings(a)[0]


def test_report_has_shaded_bands_and_a_reliability_column(tmp_path):
    from liftrisk.report import write_report

    m = synthetic_lift(SUBJECT, 10.0, noise_m=0.005, rate_hz=30.0, still_s=0.5)
    a = assess_motion(m, SUBJECT, 10.0, AssessmentSettings(uncertainty_draws=20, uncertainty_seed=3))
    html = write_report(a, tmp_path / "r.html").read_text()
    assert "<th>Reliability</th>" in html and "P(LI&gt;1)" in html
    assert a.reliability()[0]["verdict"] in ("reliable", "use with care", "unreliable")


def test_leg_figures_are_not_reported_when_the_clip_is_mostly_off_balance():
    from liftrisk.pipeline import summarise

    a = assess_motion(synthetic_lift(SUBJECT, 10.0, rate_hz=30.0, still_s=0.5), SUBJECT, 10.0, NO_BANDS)
    n = a.motion.n_frames
    a.workload["r_hip_workload_ratio"] = 5.0  # a leg figure that would top the list
    cop = np.zeros(n)
    cop[: int(0.7 * n)] = 0.2  # 70 % of the clip off balance
    a.lower["cop_outside_support_m"] = cop
    s = summarise(a)
    assert not s["peak_workload_joint"].endswith(("hip", "knee", "ankle"))
    cop[:] = 0.0
    a.lower["cop_outside_support_m"] = cop
    assert summarise(a)["peak_workload_joint"] == "r_hip"


def test_missing_points_hint_fits_the_input_kind():
    """A marker file used to be told to call liftrisk.core.to_canonical."""
    from liftrisk.core.motion import Motion
    from liftrisk.errors import MissingPointError
    from liftrisk.kinetics.segments import check_points

    markers = Motion.from_points({n: np.zeros((3, 3)) for n in ("LASI", "RASI", "SACR")}, rate_hz=100.0,
                                 source="trial.c3d")
    with pytest.raises(MissingPointError) as err:
        check_points(markers, ["l_hip"])
    assert "to_canonical" not in str(err.value) and "marker set" in str(err.value)
    joints = Motion.from_points({"l_hip": np.zeros((3, 3))}, rate_hz=100.0)
    with pytest.raises(MissingPointError, match="not tracked"):
        check_points(joints, ["r_hip"])
