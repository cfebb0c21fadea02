"""Lab inputs in a batch manifest (static trial, force-plate CSV, insoles): the same figures
as `liftrisk assess` with the same options, checked rows, identity and resume by content,
recorded in the results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from liftrisk.batch import read_results, run_batch
from liftrisk.batch.manifest import collect
from liftrisk.core import HandLoad, Subject
from liftrisk.errors import LiftriskError
from liftrisk.io import write_trc
from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction
from liftrisk.synthetic.body import neutral_body
from liftrisk.synthetic.lift import synthetic_lift

LAB_RUNNER = "lr_test_runners:lab_runner"
DEFAULTS = {"sex": "female", "mass_kg": 60.0, "height_m": 1.65}
SUBJ = Subject("male", 80.0, 1.78)
BOX_KG = 12.0
PLATE_SPEC = """# one plate under both feet: time, force (N), centre of pressure (m), free moment (N.m)
time_column = "time"
header_rows = 1
[[plate]]
name = "floor"
role = "feet"
force = ["Fx", "Fy", "Fz"]
cop = ["Cx", "Cy", "Cz"]
free_moment = "Tz"
"""


def _table(path, values):
    rows = "".join(f"{0.01 * k:.2f},{v}\n" for k, v in enumerate(values))
    path.write_text("time_s,value\n" + rows)
    return path


@pytest.fixture(scope="module")
def lab_trial(tmp_path_factory):
    """A synthetic 12 kg lift (joint centres, TRC), a static trial (the same body standing) and
    the plate under the feet that the known box mass implies (whole-body Newton-Euler,
    `whole_body_ground_reaction`), as a CSV with its TOML description."""
    d = tmp_path_factory.mktemp("lab")
    m = synthetic_lift(SUBJ, BOX_KG, rate_hz=30.0, still_s=0.5)
    body = m.select([n for n in m.point_names if n != "box"])
    holds = [(h["grasp_s"], h["release_s"]) for h in m.meta["handlings"]]
    write_trc(body, d / "lift.trc")
    write_trc(neutral_body(SUBJ, n_frames=30), d / "static.trc")
    gr = whole_body_ground_reaction(body, SUBJ, HandLoad(box_mass_kg=BOX_KG), hold_intervals_s=holds)
    f, m_p = gr.force_n, gr.free_moment_nm                   # moment about gr.cop_m (ankles' mid-point, z = 0)
    dx, dy = -m_p[:, 1] / f[:, 2], m_p[:, 0] / f[:, 2]       # the point on the floor with no horizontal moment
    tz = m_p[:, 2] - dx * f[:, 1] + dy * f[:, 0]
    pd.DataFrame({"time": gr.time_s, "Fx": f[:, 0], "Fy": f[:, 1], "Fz": f[:, 2], "Cx": gr.cop_m[:, 0] + dx,
                  "Cy": gr.cop_m[:, 1] + dy, "Cz": gr.cop_m[:, 2], "Tz": tz}
                 ).to_csv(d / "plates.csv", index=False, float_format="%.9g")
    (d / "plates.toml").write_text(PLATE_SPEC)
    times = ";".join(f"{a:.4f}-{b:.4f}" for a, b in holds)
    return d, times


def test_manifest_lab_row_gives_the_figures_of_liftrisk_assess(lab_trial, tmp_path):
    """One manifest row with a static trial and a plate CSV through `liftrisk batch` (the
    default runner) and `liftrisk assess --static --plates --plates-spec` on the same files:
    the same time series (to the 6 significant digits of the batch CSV). Independent check that
    the plate reached the pipeline: the bottom-up L5/S1 moment from the plate (built from the
    known 12 kg box) agrees with the top-down one (RMS < 10 N·m)."""
    from liftrisk.cli.main import app

    d, times = lab_trial
    (d / "m.csv").write_text("path,sex,mass_kg,height_m,box_mass_kg,lift_times_s,static,plates,plates_spec\n"
                             f"lift.trc,male,80,1.78,{BOX_KG},{times},static.trc,plates.csv,plates.toml\n")
    out = tmp_path / "out"
    rep = run_batch(d / "m.csv", out, workers=1)
    assert (rep.done, rep.failed) == (1, 0), rep.failures
    rec = next(iter(read_results(out).values()))
    assert rec["lab"] == {"static": str(d / "static.trc"), "plates": str(d / "plates.csv"),
                          "plates_spec": str(d / "plates.toml")}
    summary = json.loads((out / rec["outputs"] / "summary.json").read_text())
    assert summary["lab_inputs"]["static"] == str(d / "static.trc")
    assert summary["ground_reaction"] == "force plates"
    assert summary["l5s1_extension_rms_difference_nm"] < 10.0
    row = pd.read_csv(out / "summary.csv").iloc[0]
    assert (row["static"], row["plates"], row["plates_spec"]) == (str(d / "static.trc"), str(d / "plates.csv"),
                                                                  str(d / "plates.toml"))
    batch_ts = pd.read_csv(out / rec["outputs"] / "timeseries.csv", index_col=0)

    res = CliRunner().invoke(app, ["assess", str(d / "lift.trc"), "--sex", "male", "--mass-kg", "80", "--height-m",
                                   "1.78", "--box-kg", str(BOX_KG), "--lift-times-s", times, "--static",
                                   str(d / "static.trc"), "--plates", str(d / "plates.csv"), "--plates-spec",
                                   str(d / "plates.toml"), "-o", str(tmp_path / "r.html"), "--csv",
                                   str(tmp_path / "csv"), "-q"])
    assert res.exit_code == 0, res.output
    cli_ts = pd.read_csv(tmp_path / "csv" / "r_timeseries.csv", index_col=0)
    cols = ["compression_n", "l5s1_extension_moment_nm", "r_hip_extension_moment_nm", "l_knee_extension_moment_nm",
            "reba", "trunk_flexion_deg"]
    assert list(batch_ts.columns) == list(cli_ts.columns)
    np.testing.assert_allclose(batch_ts[cols].to_numpy(float), cli_ts[cols].to_numpy(float), rtol=2e-6, atol=1e-6)
    # without the lab columns the same recording is another item (and would have no plate)
    (d / "m0.csv").write_text(f"path,sex,mass_kg,height_m,box_mass_kg,lift_times_s\nlift.trc,male,80,1.78,"
                              f"{BOX_KG},{times}\n")
    assert collect(d / "m0.csv")[0].key != rec["key"]


def _lab_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    _table(d / "rec.csv", [1, 4, 9, 2])
    _table(d / "static_a.csv", [3, 3])
    _table(d / "static_b.csv", [5, 5])
    (d / "plates.csv").write_text("1,2,3\n")
    (d / "plates.toml").write_text(PLATE_SPEC)
    (d / "left.csv").write_text("x\n")
    (d / "right.csv").write_text("x\n")
    (d / "ins.toml").write_text("x = 1\n")
    (d / "clip.mp4").write_bytes(b"\0" * 16)
    return d


@pytest.mark.parametrize(("row", "message"), [
    ("in/rec.csv,in/nope.csv,,,,", r"nope\.csv: listed in m\.csv line 2, column 'static', but not found"),
    ("in/rec.csv,,in/plates.csv,,,", r"m\.csv: line 2, column 'plates_spec': empty, but 'plates' gives a CSV"),
    ("in/rec.csv,,,in/plates.toml,,", r"m\.csv: line 2, column 'plates': empty, but 'plates_spec' describes"),
    ("in/rec.csv,,,,in/left.csv;in/right.csv,", r"line 2, column 'insole_spec': empty, but 'insoles' gives"),
    ("in/rec.csv,,,,,in/ins.toml", r"line 2, column 'insoles': empty, but 'insole_spec' describes"),
    ("in/rec.csv,,,,in/left.csv;in/gone.csv,in/ins.toml", r"gone\.csv: listed in m\.csv line 2, column 'insoles'"),
    ("in/rec.csv,,,,in/left.csv;in/right.csv;in/left.csv,in/ins.toml", r"column 'insoles': 3 files"),
    ("in/clip.mp4,in/static_a.csv,,,,", r"column 'static': lab inputs go with a motion file"),
    ("in/rec.csv,in/plates.toml,,,,", r"column 'static': plates\.toml is not a motion file"),
])
def test_bad_lab_rows_give_one_clear_error(tmp_path, row, message):
    """Each problem is refused before anything runs, in one line naming the manifest, the
    line and the column (the CLI prints it as its one error line)."""
    from liftrisk.cli.main import app

    _lab_folder(tmp_path)
    (tmp_path / "m.csv").write_text("path,static,plates,plates_spec,insoles,insole_spec\n" + row + "\n")
    with pytest.raises(LiftriskError, match=message) as exc:
        collect(tmp_path / "m.csv", DEFAULTS)
    assert "\n" not in str(exc.value)
    res = CliRunner().invoke(app, ["batch", str(tmp_path / "m.csv"), "-o", str(tmp_path / "out"), "--sex", "female",
                                   "--mass-kg", "60", "--height-m", "1.65"])
    assert res.exit_code != 0 and not (tmp_path / "out" / "results.jsonl").exists()
    assert str(exc.value).split(". Fix")[0] in " ".join((res.output + str(res.exception or "")).split())


def test_identity_duplicates_and_resume_follow_the_lab_files(tmp_path):
    """The same recording with two different static trials is two items; the same static trial
    under another name is a duplicate (content, not name); a run again skips both; a changed
    static file runs its item again; the worker gets the files (the runner reads the static
    table: peak 3 vs 5)."""
    d = _lab_folder(tmp_path)
    (d / "static_a_copy.csv").write_bytes((d / "static_a.csv").read_bytes())
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,static,label\nin/rec.csv,in/static_a.csv,\nin/rec.csv,in/static_b.csv,\n"
                        "in/rec.csv,in/static_a_copy.csv,\nin/rec.csv,,\n")
    items = collect(manifest, DEFAULTS)
    keys = [it.key for it in items]
    assert keys[0] != keys[1] and keys[0] == keys[2] and keys[3] not in keys[:3]
    (tmp_path / "plain.csv").write_text("path\nin/rec.csv\n")    # no lab columns: the key is unchanged
    assert keys[3] == collect(tmp_path / "plain.csv", DEFAULTS)[0].key
    out = tmp_path / "out"
    rep = run_batch(manifest, out, workers=1, defaults=DEFAULTS, runner=LAB_RUNNER)
    assert (rep.total, rep.done, rep.failed) == (3, 3, 0) and len(rep.duplicates) == 1
    assert rep.duplicates[0][0].endswith("rec.csv")
    recs = read_results(out)
    peaks = sorted(r["summary"].get("static_peak_abs_value_n", 0.0) for r in recs.values())
    assert peaks == [0.0, 3.0, 5.0]
    assert {r["summary"]["lab_file_names"] for r in recs.values()} == {"", "static_a.csv", "static_b.csv"}
    rep = run_batch(manifest, out, workers=1, defaults=DEFAULTS, runner=LAB_RUNNER)
    assert (rep.done, rep.skipped) == (0, 3)
    _table(d / "static_b.csv", [7, 7])                     # new content: that item only runs again
    rep = run_batch(manifest, out, workers=1, defaults=DEFAULTS, runner=LAB_RUNNER)
    assert (rep.done, rep.skipped) == (1, 2)
    assert 7.0 in {r["summary"].get("static_peak_abs_value_n") for r in read_results(out).values()}


def test_lab_inputs_reach_the_store_and_a_runner_without_them_fails_clearly(tmp_path):
    from liftrisk.store import AssessmentStore, StoreSettings

    d = _lab_folder(tmp_path)
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,static\nin/rec.csv,in/static_b.csv\n")
    store = AssessmentStore(StoreSettings.at(tmp_path / "data"))
    try:
        run_batch(manifest, tmp_path / "out", workers=1, defaults=DEFAULTS, runner=LAB_RUNNER, store=store)
        row = store.list_assessments()[0]
        assert store.get_result(row.id).summary["lab_inputs"] == {"static": str(d / "static_b.csv")}
    finally:
        store.close()
    rep = run_batch(manifest, tmp_path / "out2", workers=1, defaults=DEFAULTS, runner="lr_test_runners:table_runner")
    assert rep.failed == 1 and "takes no lab inputs" in rep.failures[0][1]


def test_plugin_gait_measurements_are_columns(tmp_path):
    """``knee_width_mm`` (and the other Plug-in Gait measurements) reach the item, change its
    key, and a value that is not a length in mm is refused with the line and column."""
    _lab_folder(tmp_path)
    (tmp_path / "m.csv").write_text("path,knee_width_mm,ankle_width_mm\nin/rec.csv,105,\nin/rec.csv,,\n")
    with_width, plain = collect(tmp_path / "m.csv", DEFAULTS)
    assert with_width.lab.measurements() == {"knee_width_mm": 105.0} and not plain.lab
    assert with_width.key != plain.key
    (tmp_path / "bad.csv").write_text("path,knee_width_mm\nin/rec.csv,10.5cm\n")
    with pytest.raises(LiftriskError, match=r"bad\.csv: line 2, column 'knee_width_mm': '10\.5cm' is not a length"):
        collect(tmp_path / "bad.csv", DEFAULTS)


def test_insoles_as_left_and_right_are_two_files(tmp_path):
    _lab_folder(tmp_path)
    (tmp_path / "m.csv").write_text("path,insoles,insole_spec,plates_under_both_feet\n"
                                    "in/rec.csv,in/left.csv;in/right.csv,in/ins.toml,\n")
    item = collect(tmp_path / "m.csv", DEFAULTS)[0]
    assert [p.name for p in item.lab.insoles] == ["left.csv", "right.csv"]
    assert len(item.lab_sha256["insoles"]) == 2
    swapped = tmp_path / "m2.csv"
    swapped.write_text("path,insoles,insole_spec\nin/rec.csv,in/right.csv;in/left.csv,in/ins.toml\n")
    (tmp_path / "in" / "right.csv").write_text("y\n")
    assert collect(swapped, DEFAULTS)[0].key != collect(tmp_path / "m.csv", DEFAULTS)[0].key


VUA_SPEC = """# VU Amsterdam stoop lifts (as tests/pipeline/test_vua_stoop_lifts.py): plate 1 box, plate 2 feet
time_column = 1
rate_hz = 50
time_base = "start"
[[plate]]
name = "box"
role = "object"
force = [2, 3, 4]
cop = [5, 6, 7]
[[plate]]
name = "floor"
role = "feet"
force = [8, 9, 10]
cop = [11, 12, 13]
"""


@pytest.mark.slow
def test_vua_stoop_lift_batch_equals_assess(shared_data, tmp_path):
    """Real lab files (../shared/data/vua_stoop_lifts, skipped when absent): a C3D, its static
    trial, the plate CSV (box plate + floor plate) and a knee width in a manifest (absolute
    paths) give the time series of `liftrisk assess` with the same options."""
    from liftrisk.cli.main import app

    d = shared_data / "vua_stoop_lifts" / "3D"
    trial, static = d / "stoop1_t169_f620f800.c3d", d / "neu_t169_f250f350.c3d"
    plates = d / "stoop1_t169_f620f800_F1Cop1F2Cop2.csv"
    if not (trial.exists() and static.exists() and plates.exists()):
        pytest.skip("vua_stoop_lifts not available")
    (tmp_path / "plates.toml").write_text(VUA_SPEC)
    (tmp_path / "m.csv").write_text("path,sex,mass_kg,height_m,box_mass_kg,static,plates,plates_spec,knee_width_mm\n"
                                    f"{trial},male,81.7,1.73,15.09,{static},{plates},plates.toml,105\n")
    rep = run_batch(tmp_path / "m.csv", tmp_path / "out", workers=1)
    assert rep.done == 1, rep.failures
    rec = next(iter(read_results(tmp_path / "out").values()))
    assert rec["summary"]["hand_load"] == "object plate" and rec["summary"]["ground_reaction"] == "force plates"
    # top-down (hands + box plate) vs bottom-up (floor plate): the 15 N·m (measured 3.9 N·m)
    assert rec["summary"]["l5s1_extension_rms_difference_nm"] < 15.0
    batch_ts = pd.read_csv(tmp_path / "out" / rec["outputs"] / "timeseries.csv", index_col=0)
    res = CliRunner().invoke(app, ["assess", str(trial), "--sex", "male", "--mass-kg", "81.7", "--height-m", "1.73",
                                   "--box-kg", "15.09", "--static", str(static), "--plates", str(plates),
                                   "--plates-spec", str(tmp_path / "plates.toml"), "--knee-width-mm", "105", "-o",
                                   str(tmp_path / "r.html"),
                                   "--csv", str(tmp_path / "csv"), "-q"])
    assert res.exit_code == 0, res.output
    cli_ts = pd.read_csv(tmp_path / "csv" / "r_timeseries.csv", index_col=0)
    cols = ["compression_n", "l5s1_extension_moment_nm", "r_hip_extension_moment_nm"]
    np.testing.assert_allclose(batch_ts[cols].to_numpy(float), cli_ts[cols].to_numpy(float), rtol=2e-6, atol=1e-6)
