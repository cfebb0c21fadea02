"""`liftrisk predict-max-weight` (exit codes and messages)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from liftrisk.cli.main import app, main


def test_predict_max_weight_cli(tmp_path):
    csv = tmp_path / "lift.csv"
    res = CliRunner().invoke(app, ["predict-max-weight", "--mass-kg", "83.73", "--height-m", "1.82", "--sex", "male",
                                   "--box-start-m", "0.40", "0.15", "--box-end-m", "0.40", "1.0", "--csv", str(csv),
                                   "--style", "squat", "--strength-percentile", "50"])
    assert res.exit_code == 0, res.output
    assert "2D maximum box weight" in res.output and "IPOPT: Solve_Succeeded" in res.output
    assert csv.exists() and "ratio_spine" in csv.read_text().splitlines()[0]


def test_predict_max_weight_cli_bad_subject(capsys):
    try:
        main(["predict-max-weight", "--mass-kg", "83", "--height-m", "182", "--sex", "male"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "centimetres" in capsys.readouterr().err


def test_profiles_need_one_guide_and_one_percentile(tmp_path):
    res = CliRunner().invoke(app, ["predict-max-weight", "--mass-kg", "83.73", "--height-m", "1.82", "--sex", "male",
                                   "--csv", str(tmp_path / "x.csv")])
    assert res.exit_code != 0 and "one guide and one percentile" in str(res.exception)


@pytest.mark.slow
def test_templates_side_by_side_with_note():
    """Without a measured lift every template is shown, with the note that the weight depends on
    it; the strength percentiles default to the population's 5th/50th/95th (about 40 s)."""
    res = CliRunner().invoke(app, ["predict-max-weight", "--mass-kg", "83.73", "--height-m", "1.82", "--sex", "male",
                                   "--age-years", "28"])
    assert res.exit_code == 0, res.output
    for word in ("squat", "stoop", "none", "5th pct", "50th pct", "95th pct", "depends strongly", "5th/50th/95th"):
        assert word in res.output


@pytest.mark.slow
def test_measured_guide_motion_from_file(tmp_path):
    """A lift written as TRC and read back guides the prediction (measured postures, its own T)."""
    from liftrisk.core.subject import Subject
    from liftrisk.io import write_trc
    from liftrisk.synthetic.lift import synthetic_lift

    m = synthetic_lift(Subject("male", 83.73, 1.82), origin_m=(0.4, 0.15), destination_m=(0.4, 1.0))
    path = tmp_path / "lift.trc"
    write_trc(m.select([p for p in m.point_names if p != "box"]), path)
    res = CliRunner().invoke(app, ["predict-max-weight", "--mass-kg", "83.73", "--height-m", "1.82", "--sex", "male",
                                   "--guide-motion", str(path), "--lift-window-s", "0.6", "1.848", "--neutral-s", "0",
                                   "--strength-percentile", "50", "--strength-percentile", "95"])
    assert res.exit_code == 0, res.output
    assert "measured" in res.output and "lift time 1.25 s" in res.output


@pytest.mark.slow
def test_measured_weight_calibrates_the_percentile():
    """--measured-weight-n prints the percentile that reproduces the weight and uses it (about 40 s)."""
    res = CliRunner().invoke(app, ["predict-max-weight", "--mass-kg", "83.73", "--height-m", "1.82", "--sex", "male",
                                   "--age-years", "28", "--style", "squat", "--measured-weight-n", "150"])
    assert res.exit_code == 0, res.output
    assert "strength percentile reproducing 150.0 N" in res.output
    w = float(res.output.split("2D maximum box weight: ")[1].split(" N")[0])
    assert abs(w - 150.0) <= 1.0


@pytest.mark.slow
def test_3d_anchors_kept_on_disk_with_a_note(tmp_path, monkeypatch):
    """`--3d` stores the anchors in the user's cache folder ($LIFTRISK_CACHE_DIR here); the next
    run for the same worker, task and percentile reads them, says so, and prints the same
    weight; `--no-anchor-cache` solves them again (about a minute)."""
    from liftrisk.predict import problem3d

    monkeypatch.setenv("LIFTRISK_CACHE_DIR", str(tmp_path))
    args = ["predict-max-weight", "--mass-kg", "62", "--height-m", "1.65", "--sex", "female", "--age-years", "35",
            "--box-start-m", "0.40", "0.25", "--box-end-m", "0.40", "0.90", "--style", "squat",
            "--strength-percentile", "50", "--3d"]
    outs = []
    for extra in ([], [], ["--no-anchor-cache"]):
        problem3d._ANCHORS.clear()     # each CLI run is a new process
        res = CliRunner().invoke(app, args + extra)
        assert res.exit_code == 0, res.output
        outs.append(res.output)
    first, second, third = outs
    assert list((tmp_path / "predict3d_anchors").glob("*.json"))
    assert "read from the anchor cache" not in first and "read from the anchor cache" not in third
    assert f"NOTE: normalisation anchors read from the anchor cache {tmp_path}" in second
    weight = [line for line in first.splitlines() if line.startswith("3D maximum box weight")]
    assert weight and weight[0] in second.splitlines() and weight[0] in third.splitlines()
