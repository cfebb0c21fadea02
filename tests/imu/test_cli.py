"""CLI: synth -> train -> evaluate -> predict on a tiny synthetic set; errors as one line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from liftrisk.cli.main import app, main

runner = CliRunner()


def test_synth_train_evaluate_predict(tmp_path):
    data = tmp_path / "ds"
    r = runner.invoke(app, ["imu", "synth", str(data), "--n-subjects", "2", "--trials-per-zone", "1"])
    assert r.exit_code == 0, r.output
    assert "wrote 24 synthetic trials" in r.output and "low 4, medium 8, high 12" in r.output
    model = tmp_path / "m.pt"
    r = runner.invoke(app, ["imu", "train", str(data), "-o", str(model), "--model", "mlp", "--max-epochs", "1"])
    assert r.exit_code == 0, r.output
    assert model.is_file()
    r = runner.invoke(app, ["imu", "evaluate", str(data), "--model-file", str(model),
                            "--json", str(tmp_path / "e.json")])
    assert r.exit_code == 0, r.output
    assert "RK" in r.output and json.loads((tmp_path / "e.json").read_text())["protocol"] == "saved_model"
    trial = sorted((data / "trials").glob("*.csv"))[0]
    r = runner.invoke(app, ["imu", "predict", str(trial), "--model-file", str(model)])
    assert r.exit_code == 0, r.output
    line = [x for x in r.output.splitlines() if trial.name in x][0]
    fields = line.split()
    assert fields[1] in ("low", "medium", "high")
    assert sum(float(v) for v in fields[2:5]) == pytest.approx(1.0, abs=2e-3)
    assert "ms per lift" in r.output


def test_evaluate_protocol_with_saliency(tmp_path):
    data = tmp_path / "ds"
    runner.invoke(app, ["imu", "synth", str(data), "--n-subjects", "2", "--trials-per-zone", "1", "--seed", "3"])
    r = runner.invoke(app, ["imu", "evaluate", str(data), "--protocol", "random", "--model", "cnn", "--max-epochs", "1",
                            "--saliency-dir", str(tmp_path / "sal")])
    assert r.exit_code == 0, r.output
    assert "random_split" in r.output and list((tmp_path / "sal").glob("saliency_*.png"))


def test_errors_are_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["imu", "train", str(tmp_path / "missing")])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "dataset folder not found" in err and "\n" not in err
