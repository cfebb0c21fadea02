"""`liftrisk posture` / `liftrisk niosh` on motion files, and the Motion adapter against the
known joint angles of a forward-kinematics body."""

from __future__ import annotations

import importlib.resources
import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from liftrisk.core.subject import Subject
from liftrisk.risk.niosh import NioshLimitWarning, rwl

pytest.importorskip("liftrisk.kinematics.angles")
pytest.importorskip("liftrisk.kinematics.joint_centres")
io = pytest.importorskip("liftrisk.io")
if not (hasattr(io, "write_keypoints_csv") and hasattr(io, "read_motion")):
    pytest.skip("liftrisk.io readers/writers not available yet", allow_module_level=True)
synthetic = pytest.importorskip("liftrisk.synthetic")
SUBJECT = Subject("male", 75.0, 1.78)


@pytest.fixture
def lift_file(tmp_path):
    m = synthetic.synthetic_lift(SUBJECT, origin_m=(0.40, 0.25), destination_m=(0.45, 0.95), asymmetry_deg=30.0,
                                 n_lifts=2)
    f = tmp_path / "lift.csv"
    io.write_keypoints_csv(m.select([n for n in m.point_names if n != "box"]), f)
    return f, m


def run(args):
    from liftrisk.cli.main import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_adapter_recovers_known_angles(lift_cycle):
    from liftrisk.risk.posture import posture_angles

    motion, ang = lift_cycle
    a = posture_angles(motion)
    for side in ("l", "r"):
        d = a[side]
        np.testing.assert_allclose(d["trunk_flexion_deg"], ang["trunk_deg"], atol=1e-6)
        np.testing.assert_allclose(d["neck_flexion_deg"], ang["neck_deg"], atol=1e-6)
        np.testing.assert_allclose(d["upper_arm_flexion_deg"], ang["shoulder_deg"], atol=1e-6)
        np.testing.assert_allclose(d["elbow_flexion_deg"], ang["elbow_deg"], atol=1e-6)
        np.testing.assert_allclose(d["knee_flexion_deg"], ang["knee_deg"], atol=1e-6)
        np.testing.assert_allclose(d["upper_arm_abduction_deg"], 0.0, atol=1e-6)   # sagittal arms


def test_abduction_measure_for_arm_out_to_the_side():
    from liftrisk.risk.posture import arm_abduction_deg

    m = synthetic.body_motion(SUBJECT, synthetic.Posture(l_shoulder_abduction=np.radians(60.0),
                                                         r_shoulder_abduction=np.radians(30.0)))
    assert arm_abduction_deg(m, "l")[0] == pytest.approx(60.0, abs=1e-6)
    assert arm_abduction_deg(m, "r")[0] == pytest.approx(30.0, abs=1e-6)


def test_posture_command_writes_scores_and_summary(lift_file, tmp_path):
    f, m = lift_file
    out = tmp_path / "posture.csv"
    r = run(["posture", f, "-o", out, "--load-kg", "10", "--coupling", "fair"])
    assert r.exit_code == 0, r.output
    assert "Spearman fuzzy REBA vs REBA" in r.output and "RULA: mean" in r.output
    df = pd.read_csv(out)
    assert len(df) == m.n_frames
    assert df["reba"].between(1, 15).all() and df["rula"].between(1, 7).all()
    assert df["fuzzy_reba"].between(1, 15).all()
    # existing output is not replaced without --overwrite: one-line error, exit 2
    r2 = run(["posture", f, "-o", out])
    assert r2.exit_code != 0


def test_niosh_command_reports_each_handling(lift_file, tmp_path):
    f, m = lift_file
    out = tmp_path / "lifts.csv"
    r = run(["niosh", f, "--load-kg", "10", "--lifts-per-min", "2", "--hours", "1", "--coupling", "fair",
             "-o", out])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert df["kind"].tolist() == ["lift", "lower", "lift"]
    # RWL at the first origin from the true geometry (H 0.40, V 0.25, D 0.70, A 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NioshLimitWarning)
        expected = rwl(0.40, 0.25, 0.70, 0.0, 2.0, 1.0, "fair", 10.0).rwl
    assert df["RWL_origin_kg"].iloc[0] == pytest.approx(expected, rel=0.02)
    assert (df["LI"] == np.maximum(df["LI_origin"], df["LI_destination"])).all()
    assert df["acgih_zone"].tolist()[0] in (10, 11)
    assert "RWL origin" in r.output and "ACGIH zone" in r.output


def test_niosh_command_with_given_times(lift_file):
    f, m = lift_file
    h = m.meta["handlings"][0]
    r = run(["niosh", f, "--load-kg", "10", "--lifts-per-min", "2", "--hours", "1",
             "--times", f"{h['grasp_s']}-{h['release_s']}"])
    assert r.exit_code == 0, r.output
    assert r.output.count("RWL origin") == 1


def test_cli_errors_are_one_line(tmp_path):
    from liftrisk.cli.main import main

    with pytest.raises(SystemExit) as e:
        main(["posture", str(tmp_path / "missing.trc")])
    assert e.value.code == 2


def test_posture_and_niosh_on_bundled_demo(tmp_path):
    """The bundled demo (synthetic 10 kg lifts, origin V 0.25 m, destination V 0.95 m, H 0.40 m)."""
    demo = importlib.resources.files("liftrisk").joinpath("data/demo/demo_lift.trc")
    if not demo.is_file():
        pytest.skip("bundled demo recording not available yet")
    r = run(["posture", str(demo), "-o", tmp_path / "p.csv", "--load-kg", "10"])
    assert r.exit_code == 0, r.output
    r = run(["niosh", str(demo), "--load-kg", "10", "--lifts-per-min", "2", "--hours", "1", "--coupling", "fair",
             "-o", tmp_path / "lifts.csv"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(tmp_path / "lifts.csv")
    lifts = df[df["kind"] == "lift"]
    assert len(lifts) >= 1
    np.testing.assert_allclose(lifts["V_origin_m"], 0.25, atol=0.02)
    np.testing.assert_allclose(lifts["V_destination_m"], 0.95, atol=0.02)
    np.testing.assert_allclose(lifts["H_origin_m"], 0.40, atol=0.02)


def test_posture_on_opensim_marker_walk(shared_data, tmp_path):
    """A marker file (OpenSim gait2354) goes through the marker joint centres; walking is low risk."""
    d = shared_data / "opensim_gait2354"
    if not (d / "subject01_walk1.trc").exists():
        pytest.skip("OpenSim gait2354 trial not available")
    out = tmp_path / "walk.csv"
    r = run(["posture", d / "subject01_walk1.trc", "--static", d / "subject01_static.trc", "-o", out])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert len(df) == 151 and df["reba"].max() <= 4 and df["rula"].max() <= 4
