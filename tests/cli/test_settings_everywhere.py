"""One settings file, three entry points: ``liftrisk assess``, ``liftrisk batch`` and the web
app (FastAPI TestClient) give identical NIOSH and L5/S1 figures for the same recording, and
those figures are the ones the settings ask for: the NIOSH RWL at the origin equals the
equation evaluated by hand with the file's frequency, duration and coupling (Waters et al.
1994: FM and CM from Tables 5 and 7), which differ from the defaults."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from liftrisk.cli.main import app
from liftrisk.core import Subject
from liftrisk.io import write_trc
from liftrisk.risk.niosh import coupling_multiplier, frequency_multiplier
from liftrisk.synthetic.lift import synthetic_lift

SUBJECT = Subject("male", 80.0, 1.78, 40.0)
SUBJECT_ARGS = ["--mass-kg", "80", "--height-m", "1.78", "--sex", "male", "--age-years", "40", "--box-kg", "10"]
SETTINGS = """
[assessment]
cutoff_hz = 5.0
lifts_per_min = 4.0
duration_h = 2.0
coupling = "poor"

[recordings."lift.trc"]
lifts_per_min = 3.0
"""
WEB_HELPERS = Path(__file__).resolve().parents[1] / "web"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    d = tmp_path_factory.mktemp("project")
    write_trc(synthetic_lift(SUBJECT, 10.0, origin_m=(0.40, 0.25), destination_m=(0.40, 0.95), duration_s=3.0,
                             rate_hz=60.0), d / "lift.trc")
    (d / "liftrisk.toml").write_text(SETTINGS, encoding="utf-8")
    return d


def _figures(lifts: list[dict], peak_compression_n: float, peak_moment_nm: float) -> dict:
    assert len(lifts) == 1
    la = lifts[0]
    return {"rwl_origin_kg": la["rwl_origin_kg"], "rwl_dest_kg": la["rwl_dest_kg"], "li": la["li"],
            "peak_compression_n": peak_compression_n, "peak_l5s1_extension_moment_nm": peak_moment_nm}


def via_cli(project: Path, out: Path) -> dict:
    res = CliRunner().invoke(app, ["assess", str(project / "lift.trc"), *SUBJECT_ARGS, "--settings",
                                   str(project / "liftrisk.toml"), "-o", str(out / "r.html"), "--csv", str(out),
                                   "-q"])
    assert res.exit_code == 0, res.output
    lifts = pd.read_csv(out / "r_lifts.csv").to_dict("records")
    ts = pd.read_csv(out / "r_timeseries.csv")
    html = (out / "r.html").read_text()
    assert "lifts_per_min" in html and "<td>3</td>" in html  # the settings used are printed in the report
    return _figures(lifts, ts["compression_n"].max(), ts["l5s1_extension_moment_nm"].max())


def via_batch(project: Path, out: Path) -> dict:
    manifest = out / "manifest.csv"
    manifest.write_text(f"path,sex,mass_kg,height_m,age_years,box_mass_kg\n{project / 'lift.trc'},male,80,1.78,40,10\n")
    res = CliRunner().invoke(app, ["batch", str(manifest), "-o", str(out / "batch"), "--workers", "1", "--settings",
                                   str(project / "liftrisk.toml")])
    assert res.exit_code == 0, res.output
    (rec,) = [json.loads(line) for line in (out / "batch" / "results.jsonl").read_text().splitlines()]
    s = rec["summary"]
    assert rec["settings"]["lifts_per_min"] == s["settings"]["lifts_per_min"] == 3.0
    return _figures(s["lifts"], s["peak_compression_n"], s["peak_l5s1_extension_moment_nm"])


def via_web(project: Path, out: Path) -> dict:
    if str(WEB_HELPERS) not in sys.path:
        sys.path.insert(0, str(WEB_HELPERS))
    from lr_web_helpers import make_client, upload, wait_done

    with make_client(out, runner="liftrisk.batch.runner:run_recording", workers=1,
                     settings_file=project / "liftrisk.toml") as c:
        r = upload(c, content=(project / "lift.trc").read_bytes(), name="lift.trc", mime="", sex="male",
                   mass_kg="80", height_m="1.78", age_years="40", box_mass_kg="10")
        assert r.status_code == 201, r.text
        aid = r.json()["id"]
        assert wait_done(c, aid, timeout_s=120)["status"] == "done"
        s = c.get(f"/assessments/{aid}/summary.json").json()
    assert s["settings"]["lifts_per_min"] == 3.0 and s["settings"]["coupling"] == "poor"
    return _figures(s["lifts"], s["peak_compression_n"], s["peak_l5s1_extension_moment_nm"])


def test_cli_batch_and_web_give_identical_figures(project, tmp_path):
    figs = {}
    for name, fn in (("cli", via_cli), ("batch", via_batch), ("web", via_web)):
        out = tmp_path / name
        out.mkdir()
        figs[name] = fn(project, out)
    # identical up to the CSV round trip of the CLI's files (6 significant digits)
    for name in ("batch", "web"):
        assert figs[name] == figs["cli"] or all(
            np.isclose(figs[name][k], figs["cli"][k], rtol=5e-6) for k in figs["cli"]), (name, figs)  # 6 digits: 5e-6
    assert figs["batch"] == figs["web"]  # both from the runner's JSON: bit-identical
    # the settings file was applied: the RWL at the origin carries FM(3/min, 2 h) and CM(poor) of
    # the NIOSH tables instead of the defaults' FM(1/min, 1 h) and CM(fair)
    from liftrisk.io import read_motion
    from liftrisk.pipeline import AssessmentSettings, assess_motion

    default = assess_motion(read_motion(project / "lift.trc"), SUBJECT, 10.0, AssessmentSettings(cutoff_hz=5.0))
    v_cm = 100 * default.lifts[0].lift.origin.v_m
    ratio = (frequency_multiplier(3.0, 2.0, v_cm) * coupling_multiplier("poor", v_cm)
             / (frequency_multiplier(1.0, 1.0, v_cm) * coupling_multiplier("fair", v_cm)))
    assert figs["batch"]["rwl_origin_kg"] == pytest.approx(default.lifts[0].niosh_origin.rwl * ratio, rel=1e-9)
    assert ratio < 0.95  # the file's task is measurably different from the defaults


@pytest.mark.parametrize("args, match", [
    (["--lifts-per-min", "-3"], "lifts_per_min is -3"),
    (["--hours", "0"], "duration_h is 0"),
    (["--coupling", "great"], "coupling is 'great'"),
    (["--lift-times-s", "2-1"], "grasp_s < release_s"),
])
def test_bad_options_give_one_clear_error_line(project, tmp_path, args, match):
    res = CliRunner().invoke(app, ["assess", str(project / "lift.trc"), *SUBJECT_ARGS, *args,
                                   "-o", str(tmp_path / "r.html"), "-q"])
    assert res.exit_code == 2 and match in res.output and "Traceback" not in res.output
    assert not (tmp_path / "r.html").exists()


def test_web_form_task_fields_override_the_server_file(project, tmp_path):
    from liftrisk.web.task_settings import upload_settings

    s = upload_settings("lift.trc", project / "liftrisk.toml", lifts_per_min="", duration_h="0.5", coupling="",
                        cutoff_hz="")
    assert (s.lifts_per_min, s.duration_h, s.coupling, s.cutoff_hz) == (3.0, 0.5, "poor", 5.0)
    with pytest.raises(Exception, match="lifts_per_min is -1"):
        upload_settings("lift.trc", None, lifts_per_min="-1")
