"""Job file -> spec (clear errors) and `liftrisk job` end to end on the bundled demo."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from liftrisk.cli.main import app
from liftrisk.errors import DataQualityError
from liftrisk.job import job_spec

DEMO = Path(str(resources.files("liftrisk") / "data" / "demo" / "demo_lift.trc"))
BASE = {"job": {"name": "j", "duration_h": 8}, "worker": {"sex": "male", "mass_kg": 80, "height_m": 1.78}}


@pytest.mark.parametrize("task, msg", [
    ({"name": "t", "recordings": [], "box_kg": 5, "lifts_per_min": 1}, "recordings' is empty"),
    ({"name": "t", "recordings": ["a.trc"], "lifts_per_min": 1}, "missing 'box_kg'"),
    ({"name": "t", "recordings": ["a.trc"], "box_kg": "ten", "lifts_per_min": 1}, "box_kg is 'ten'"),
    ({"name": "t", "recordings": ["a.trc"], "box_kg": 5, "lifts_per_min": 1, "coupling": "great"}, "coupling"),
    ({"name": "t", "recordings": ["a.trc"], "box_kg": 5, "lifts_per_min": 99}, "lifts_per_min is 99"),
])
def test_bad_job_files_name_the_field(task, msg):
    with pytest.raises(DataQualityError, match=msg):
        job_spec(BASE | {"task": [task]}, source="job.toml")


def test_missing_worker_and_tasks():
    with pytest.raises(DataQualityError, match=r"\[worker\]"):
        job_spec({"task": []})
    with pytest.raises(DataQualityError, match=r"no \[\[task\]\]"):
        job_spec(BASE)


def _write_job(tmp_path: Path) -> Path:
    p = tmp_path / "job.toml"
    p.write_text(f"""
[job]
name = "demo job"
duration_h = 8.0
[worker]
sex = "male"
mass_kg = 80.0
height_m = 1.78
age_years = 40
[[task]]
name = "shelf"
recordings = ["{DEMO.as_posix()}"]
box_kg = 10.0
lifts_per_min = 1.0
hours = 6.0
coupling = "fair"
""")
    return p


def test_liftrisk_job_on_the_demo(tmp_path):
    """CLI end to end: HTML, JSON and CSVs written; the job figures are consistent with the
    per-lift table (LiFFT PLM = load x g x largest L5/S1-hands distance; one task -> CLI =
    its STLI; lifts/day = 1/min x 60 x 6 h)."""
    job = _write_job(tmp_path)
    out = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["job", str(job), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text()
    assert "Job risk assessment" in html and html.count("data:image/png;base64") == 3
    d = json.loads((tmp_path / "report.json").read_text())
    lifts = pd.read_csv(tmp_path / "report_lifts.csv")
    tasks = pd.read_csv(tmp_path / "report_tasks.csv")
    assert len(lifts) == 3 and set(lifts["kind"]) == {"lift", "lower"}   # demo: 2 lifts + 1 lowering
    t = d["tasks"][0]
    assert t["repetitions_per_day"] == 360
    assert d["niosh"]["CLI"] == pytest.approx(t["niosh"]["STLI"])
    assert t["lifft_moment_nm"] == pytest.approx(10.0 * 9.80665 * lifts["max_l5s1_to_hands_m"].max())
    assert tasks.loc[0, "lifft_damage"] == pytest.approx(d["lifft"]["cumulative_damage"])
    assert "extension" in d["lifft_measured_moment_extension"]["label"]
    # the demo box is 40 cm out and 25 -> 95 cm: inside LM-MMH's range for both sexes
    assert 0 < t["lm_mmh"]["female"]["percent_capable"] < t["lm_mmh"]["male"]["percent_capable"] <= 100
    # refuses to overwrite
    res2 = CliRunner().invoke(app, ["job", str(job), "-o", str(out)])
    assert res2.exit_code == 2 and "file exists" in res2.output


def test_liftrisk_job_bad_file(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("[job\nname=")
    res = CliRunner().invoke(app, ["job", str(p), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "not valid TOML" in res.output
    res = CliRunner().invoke(app, ["job", str(tmp_path / "none.toml")])
    assert res.exit_code == 2 and "no such file" in res.output
