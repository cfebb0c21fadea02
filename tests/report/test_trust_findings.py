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
    assert '<th class="text">Reliability</th>' in html and "P(LI&gt;1)" in html
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


@pytest.fixture(scope="module")
def demo():
    """The bundled demo (three handlings at known times); bands with few draws."""
    from liftrisk.synthetic.make_demo import DEMO_SUBJECT, demo_motion

    times = [(1.25, 2.81), (4.25, 5.81), (7.25, 8.81)]
    st_ = AssessmentSettings(lift_times_s=times, uncertainty_draws=20)
    return assess_motion(demo_motion(), DEMO_SUBJECT, 10.0, st_)


def test_a_peak_with_empty_hands_is_not_blamed_on_the_lift(demo):
    """The demo's peak compression is while bending to the box before a grasp: the sentence
    says so and does not call it 'the lift' (the old wording did)."""
    s = demo.summary
    t = s["peak_compression_time_s"]
    held = [(la.lift.grasp_s, la.lift.release_s) for la in demo.lifts]
    assert not any(g <= t <= r for g, r in held)  # the case this test is about
    first = findings(demo)[0]
    assert "with empty hands" in first and "before the grasp of" in first
    assert "the lift puts" not in first


def test_summary_ranks_lifts_worst_first(demo):
    """The ranking orders the lifts by their NIOSH LI (from the lifting-equation stage), ties by
    the peak compression between grasp and release (read here from the compression series)."""
    r = demo.lift_ranking()
    assert list(r["rank"]) == [1, 2, 3]
    t = demo.motion.time_s
    comp = demo.spine["compression_n"].to_numpy()
    key = {}
    for la in demo.lifts:
        inside = (t >= la.lift.grasp_s - 1e-9) & (t <= la.lift.release_s + 1e-9)
        key[la.index + 1] = (round(la.li, 9), comp[inside].max())
    expected = sorted(key, key=lambda k: key[k], reverse=True)
    assert list(r["lift"]) == expected
    assert {"li_p05", "li_p95", "reliability", "compression_p05_n", "compression_p95_n"} <= set(r.columns)
    assert (r["compression_p05_n"] <= r["peak_compression_n"] + 1e-6).all()


def test_ranking_is_in_the_report_and_the_exports(demo, tmp_path):
    from liftrisk.report.html import render_html

    html = render_html(demo)
    assert "Lifts ranked by risk (worst first)" in html
    assert html.count('<tr class="rank">') == len(demo.lifts)
    paths = export_csv(demo, tmp_path)
    names = [p.name for p in paths]
    assert "assessment_lift_ranking.csv" in names
    data = json.loads((tmp_path / "assessment_uncertainty.json").read_text())
    assert [row["lift"] for row in data["ranking"]] == list(demo.lift_ranking()["lift"])
