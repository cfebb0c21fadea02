"""`liftrisk predict-max-weight` (exit codes and messages)."""

from __future__ import annotations

from typer.testing import CliRunner

from liftrisk.cli.main import app, main


def test_predict_max_weight_cli(tmp_path):
    csv = tmp_path / "lift.csv"
    res = CliRunner().invoke(app, ["predict-max-weight", "--mass-kg", "83.73", "--height-m", "1.82", "--sex", "male",
                                   "--box-start-m", "0.40", "0.15", "--box-end-m", "0.40", "1.0", "--csv", str(csv)])
    assert res.exit_code == 0, res.output
    assert "2D maximum box weight" in res.output and "IPOPT: Solve_Succeeded" in res.output
    assert csv.exists() and "ratio_spine" in csv.read_text().splitlines()[0]


def test_predict_max_weight_cli_bad_subject(capsys):
    try:
        main(["predict-max-weight", "--mass-kg", "83", "--height-m", "182", "--sex", "male"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "centimetres" in capsys.readouterr().err
