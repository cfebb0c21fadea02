"""Lab files uploaded with a recording (static trial, force-plate table + TOML, insoles +
TOML): stored like the recording, recorded with the assessment, given to the runner as
`liftrisk.io.LabInputs`, listed on the page; bad sets refused before anything is stored."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re

import pandas as pd
import pytest
from lr_web_helpers import CSV_A, SUBJECT, make_client, wait_done

from liftrisk.batch.runner import DEFAULT_RUNNER, run_recording
from liftrisk.core import HandLoad, Subject
from liftrisk.core.settings import AssessmentSettings
from liftrisk.io import LabInputs, write_trc
from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction
from liftrisk.synthetic.body import neutral_body
from liftrisk.synthetic.lift import synthetic_lift

HTML = {"accept": "text/html"}
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
INSOLE_SPEC = b"""format = "force"
time_column = 1
[left]
force = 2
[right]
force = 2
"""
STATIC_A = b"time_s,value\n0.0,3.0\n0.01,-3.0\n"
STATIC_B = b"time_s,value\n0.0,5.0\n0.01,5.0\n"


@pytest.fixture(scope="module")
def lab_trial(tmp_path_factory):
    """A synthetic 12 kg lift (joint centres, TRC), a static trial (the same body standing) and
    the plate under the feet that the known box mass implies (whole-body Newton-Euler), as a
    CSV with its TOML description (as tests/batch/test_batch_lab.py builds them)."""
    d = tmp_path_factory.mktemp("weblab")
    m = synthetic_lift(SUBJ, BOX_KG, rate_hz=30.0, still_s=0.5)
    body = m.select([n for n in m.point_names if n != "box"])
    holds = [(h["grasp_s"], h["release_s"]) for h in m.meta["handlings"]]
    write_trc(body, d / "lift.trc")
    write_trc(neutral_body(SUBJ, n_frames=30), d / "static.trc")
    gr = whole_body_ground_reaction(body, SUBJ, HandLoad(box_mass_kg=BOX_KG), hold_intervals_s=holds)
    f, m_p = gr.force_n, gr.free_moment_nm
    dx, dy = -m_p[:, 1] / f[:, 2], m_p[:, 0] / f[:, 2]        # the point on the floor with no horizontal moment
    tz = m_p[:, 2] - dx * f[:, 1] + dy * f[:, 0]
    pd.DataFrame({"time": gr.time_s, "Fx": f[:, 0], "Fy": f[:, 1], "Fz": f[:, 2], "Cx": gr.cop_m[:, 0] + dx,
                  "Cy": gr.cop_m[:, 1] + dy, "Cz": gr.cop_m[:, 2], "Tz": tz}
                 ).to_csv(d / "plates.csv", index=False, float_format="%.9g")
    (d / "plates.toml").write_text(PLATE_SPEC)
    times = ";".join(f"{a:.4f}-{b:.4f}" for a, b in holds)
    return d, times


def _files(d, **lab):
    """Multipart parts: the recording, then each lab file (role -> file name(s) in `d`)."""
    parts = [("file", ("lift.trc", (d / "lift.trc").read_bytes(), "application/octet-stream"))]
    for role, names in lab.items():
        for name in ([names] if isinstance(names, str) else names):
            parts.append((role, (name, (d / name).read_bytes(), "text/csv")))
    return parts


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_upload_with_static_and_plates_gives_the_figures_of_run_recording(lab_trial, tmp_path):
    """A TRC uploaded with its static trial and plate CSV + TOML through the form gives the
    summary figures and time series of `run_recording` with the same `LabInputs`; the plate
    reached the pipeline (independent check: the bottom-up L5/S1 moment from the plate, which
    was built from the known 12 kg box, agrees with the top-down one, RMS < 10 N·m); the lab
    files are stored unchanged under their SHA-256 and listed on the page."""
    d, times = lab_trial
    fields = dict(SUBJECT, mass_kg="80", height_m="1.78", age_years="", box_mass_kg=str(BOX_KG))
    with make_client(tmp_path, runner=DEFAULT_RUNNER) as client:
        r = client.post("/assessments", files=_files(d, static="static.trc", plates="plates.csv",
                                                     plates_spec="plates.toml"),
                        data=fields | {"cutoff_hz": ""}, headers=HTML, follow_redirects=False)
        assert r.status_code == 303, r.text
        aid = int(r.headers["location"].rsplit("/", 1)[1])
        # lift times are not a form field: the server's default detection, as run_recording's default
        s = wait_done(client, aid, timeout_s=240)
        assert s["status"] == "done", s["error"]
        web = client.get(f"/api/assessments/{aid}/summary").json()
        web_csv = client.get(f"/assessments/{aid}/timeseries.csv").text
        status = client.get(f"/api/assessments/{aid}").json()
        page = client.get(f"/assessments/{aid}", headers=HTML).text
        store = client.app.state.store
        stored = {f["role"]: store.settings.uploads_dir / f["sha256"][:2] for f in status["lab_files"]}
        settings = AssessmentSettings.from_dict(store.get(aid).settings)
    assert [(f["role"], f["name"]) for f in status["lab_files"]] == [
        ("plates", "plates.csv"), ("plates_spec", "plates.toml"), ("static", "static.trc")]
    for f in status["lab_files"]:  # kept unchanged, under the hash of the user's bytes
        assert f["sha256"] == _sha(d / f["name"]) and f["size_bytes"] == (d / f["name"]).stat().st_size
        kept = next(stored[f["role"]].glob(f["sha256"] + ".*"))
        assert kept.read_bytes() == (d / f["name"]).read_bytes()
    assert 'id="lab-files"' in page
    for name in ("static.trc", "plates.csv", "plates.toml"):
        assert f"{name} <code" in page and _sha(d / name)[:12] in page

    ref = run_recording(d / "lift.trc", SUBJ, BOX_KG, settings,
                        lab=LabInputs(static=d / "static.trc", plates=d / "plates.csv", plates_spec=d / "plates.toml"))
    assert web["ground_reaction"] == ref.summary["ground_reaction"] == "force plates"
    assert web["l5s1_extension_rms_difference_nm"] < 10.0
    figures = {k: v for k, v in ref.summary.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    assert len(figures) > 10
    for k, v in figures.items():
        assert web[k] == pytest.approx(v, rel=1e-9, abs=1e-9), k
    assert web["n_lifts"] == ref.summary["n_lifts"] >= 1
    web_ts, ref_ts = pd.read_csv(io.StringIO(web_csv), index_col=0), pd.read_csv(io.StringIO(ref.timeseries_csv),
                                                                                 index_col=0)
    assert list(web_ts.columns) == list(ref_ts.columns)
    pd.testing.assert_frame_equal(web_ts, ref_ts)


def _lab_folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "lift.trc").write_bytes(b"PathFileType\t4\t(X/Y/Z)\tlift.trc\n")
    (d / "static.csv").write_bytes(STATIC_A)
    (d / "plates.csv").write_text("time,Fx\n0,1\n")
    (d / "plates.toml").write_text(PLATE_SPEC)
    (d / "left.csv").write_text("time,p\n0,1\n")
    (d / "right.csv").write_text("time,p\n0,2\n")
    (d / "ins.toml").write_bytes(INSOLE_SPEC)
    (d / "broken.toml").write_text("time_column = \n[[plate\n")
    return d


@pytest.mark.parametrize(("lab", "status", "message"), [
    ({"plates": "plates.csv"}, 422, r"field 'plates_spec' \(force-plate description\): empty, but 'plates' gives"),
    ({"plates_spec": "plates.toml"}, 422, r"field 'plates' \(force-plate table\): empty, but 'plates_spec' describes"),
    ({"insoles": ["left.csv", "right.csv"]}, 422, r"field 'insole_spec' .*empty, but 'insoles' gives a CSV table"),
    ({"insole_spec": "ins.toml"}, 422, r"field 'insoles' .*empty, but 'insole_spec' describes a table"),
    ({"insoles": ["left.csv", "right.csv", "left.csv"], "insole_spec": "ins.toml"}, 422, r"field 'insoles' .*3 files"),
    ({"static": "plates.toml"}, 415, r"plates\.toml: the static trial \(field 'static'\) is a \.toml file"),
    ({"plates": "plates.toml", "plates_spec": "plates.toml"}, 415, r"the force-plate table \(field 'plates'\)"),
    ({"plates": "plates.csv", "plates_spec": "broken.toml"}, 400,
     r"broken\.toml: the force-plate description \(field 'plates_spec'\) cannot be read"),
])
def test_bad_lab_files_are_refused_before_anything_is_queued(tmp_path, lab, status, message):
    """Each bad set gets a 4xx naming the field and what to do, on the JSON API and on the
    form page (role=alert); no assessment is queued and no file stored."""
    d = _lab_folder(tmp_path)
    with make_client(tmp_path, runner="lr_test_runners:lab_runner") as client:
        r = client.post("/api/assessments", files=_files(d, **lab), data=SUBJECT)
        assert r.status_code == status, r.text
        assert re.search(message, r.json()["detail"]), r.json()["detail"]
        form = client.post("/assessments", files=_files(d, **lab), data=SUBJECT, headers=HTML)
        assert form.status_code == status
        alert = re.search(r'<p class="error" role="alert" id="error">(.*?)</p>', form.text, re.S).group(1)
        assert re.search(message, html.unescape(alert))
        assert client.app.state.store.counts() == {"queued": 0, "running": 0, "done": 0, "failed": 0}
        assert not [p for p in client.app.state.store.settings.uploads_dir.rglob("*") if p.is_file()]


def test_lab_files_with_a_video_are_refused(tmp_path):
    _lab_folder(tmp_path)
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    with make_client(tmp_path) as client:
        r = client.post("/api/assessments", data=SUBJECT, files=[("file", ("clip.mp4", mp4, "video/mp4")),
                                                                 ("static", ("static.csv", STATIC_A, "text/csv"))])
    assert r.status_code == 422
    assert "field 'static' (static trial): lab inputs go with a motion file" in r.json()["detail"]
    assert "not with the video clip.mp4" in r.json()["detail"]


def test_lab_files_reach_the_runner_in_order_and_are_listed(tmp_path):
    """Two insole tables keep their order (left, right); the same bytes as static trial of two
    assessments are stored once and listed by both; a runner without a ``lab`` parameter fails
    the assessment with a clear message; empty file fields (what a browser sends) are no lab
    files."""
    d = _lab_folder(tmp_path)
    with make_client(tmp_path, runner="lr_test_runners:lab_runner") as client:
        ids = []
        for static in (STATIC_A, STATIC_B, STATIC_A):
            parts = [("file", ("lift.csv", CSV_A, "text/csv")), ("static", ("static.csv", static, "text/csv")),
                     ("insoles", ("left.csv", (d / "left.csv").read_bytes(), "text/csv")),
                     ("insoles", ("right.csv", (d / "right.csv").read_bytes(), "text/csv")),
                     ("insole_spec", ("ins.toml", INSOLE_SPEC, "application/toml"))]
            ids.append(client.post("/api/assessments", files=parts, data=SUBJECT).json()["id"])
        summaries = []
        for aid in ids:
            assert wait_done(client, aid)["status"] == "done"
            summaries.append(client.get(f"/api/assessments/{aid}/summary").json())
        # independent numbers: the peak |value| of each static table given (3 and 5)
        assert [s["static_peak_abs_value_n"] for s in summaries] == [3.0, 5.0, 3.0]
        assert summaries[0]["lab_file_names"] == "ins.toml;left.csv;right.csv;static.csv"
        lab = client.get(f"/api/assessments/{ids[0]}").json()["lab_files"]
        assert [(f["role"], f["name"]) for f in lab] == [("insole_spec", "ins.toml"), ("insoles", "left.csv"),
                                                         ("insoles", "right.csv"), ("static", "static.csv")]
        third = client.get(f"/api/assessments/{ids[2]}").json()["lab_files"]
        assert lab[3]["sha256"] == third[3]["sha256"] == hashlib.sha256(STATIC_A).hexdigest()
        page = client.get(f"/assessments/{ids[1]}", headers=HTML).text
        assert "static trial: static.csv" in page and hashlib.sha256(STATIC_B).hexdigest()[:12] in page
        empty = [("file", ("lift.csv", CSV_A, "text/csv")), ("static", ("", b"", "application/octet-stream")),
                 ("plates", ("", b"", "application/octet-stream"))]
        r = client.post("/assessments", files=empty, data=SUBJECT, headers=HTML, follow_redirects=False)
        assert r.status_code == 303
        plain = int(r.headers["location"].rsplit("/", 1)[1])
        assert wait_done(client, plain)["status"] == "done"
        assert client.get(f"/api/assessments/{plain}").json()["lab_files"] == []
        assert 'id="lab-files"' not in client.get(f"/assessments/{plain}", headers=HTML).text
        # a static trial with the recording's own name is another file (each link in its own folder)
        same = [("file", ("lift.csv", CSV_A, "text/csv")), ("static", ("lift.csv", STATIC_B, "text/csv"))]
        aid = client.post("/api/assessments", files=same, data=SUBJECT).json()["id"]
        assert wait_done(client, aid)["status"] == "done"
        out = client.get(f"/api/assessments/{aid}/summary").json()
        assert (out["peak_abs_value_n"], out["static_peak_abs_value_n"]) == (3.5, 5.0)
    with make_client(tmp_path / "b", runner="lr_test_runners:table_runner") as client:
        aid = client.post("/api/assessments", data=SUBJECT, files=[("file", ("lift.csv", CSV_A, "text/csv")),
                                                                   ("static", ("s.csv", STATIC_A, "text/csv"))]
                          ).json()["id"]
        s = wait_done(client, aid)
    assert s["status"] == "failed" and "takes no lab inputs" in s["error"]


def test_form_has_labelled_lab_fields(client):
    page = client.get("/", headers=HTML).text
    for field, label in (("static", "Static trial"), ("plates", "Force-plate table"),
                         ("plates_spec", "Force-plate description (TOML)"),
                         ("insoles", "Insole table (both feet, or the left foot)"),
                         ("insole_spec", "Insole description (TOML)")):
        assert re.search(rf'<label>{re.escape(label)} <input type="file" name="{field}"', page), field
    assert page.count('name="insoles"') == 2
    for field, label in (("plates_under_both_feet", "C3D force platforms under both feet"),
                         ("object_plates", "C3D platforms under the object"), ("knee_width_mm", "Knee width (mm)")):
        assert re.search(rf'<label>{re.escape(label)} <input (type="checkbox" )?name="{field}"', page), field
    assert json.loads(client.get("/api/openapi.json").text)["paths"]["/api/assessments"]["post"]


def test_plate_options_and_measurements(tmp_path):
    """The C3D plate options and Plug-in Gait measurements: checked by the manifest's rule
    (422 naming the field), recorded with the assessment, shown on the page and given to the
    runner."""
    with make_client(tmp_path, runner="lr_test_runners:lab_runner") as client:
        for fields, message in (({"object_plates": "2"}, r"field 'object_plates' .*applies to a C3D's own"),
                                ({"knee_width_mm": "10.5cm"}, r"field 'knee_width_mm' .*'10\.5cm' is not a length"),
                                ({"plates_under_both_feet": "maybe"}, r"'maybe' is not true or false"),
                                ({"object_plates": "0"}, r"platforms are numbered from 1")):
            r = client.post("/api/assessments", files={"file": ("lift.csv", CSV_A, "text/csv")},
                            data=SUBJECT | fields)
            assert r.status_code == 422 and re.search(message, r.json()["detail"]), r.text
        mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
        r = client.post("/api/assessments", files={"file": ("clip.mp4", mp4, "video/mp4")},
                        data=SUBJECT | {"leg_length_mm": "900"})
        assert r.status_code == 422 and "not with the video clip.mp4" in r.json()["detail"]
        assert client.app.state.store.counts()["queued"] == 0
        r = client.post("/api/assessments", files={"file": ("lift.csv", CSV_A, "text/csv")},
                        data=SUBJECT | {"knee_width_mm": "105", "ankle_width_mm": "70.5"})
        aid = r.json()["id"]
        assert wait_done(client, aid)["status"] == "done"
        assert client.get(f"/api/assessments/{aid}/summary").json()["lab_measurements_mm"] == {
            "knee_width_mm": 105.0, "ankle_width_mm": 70.5}
        assert client.get(f"/api/assessments/{aid}").json()["lab_options"] == {"knee_width_mm": 105.0,
                                                                               "ankle_width_mm": 70.5}
        assert "knee width 105 mm; ankle width 70 mm" in client.get(f"/assessments/{aid}", headers=HTML).text
        c3d = b"\x02\x50" + b"\x00" * 1022
        r = client.post("/api/assessments", files={"file": ("trial.c3d", c3d, "application/octet-stream")},
                        data=SUBJECT | {"plates_under_both_feet": "true", "object_plates": "1, 2"})
        assert r.status_code == 201, r.text
        status = client.get(f"/api/assessments/{r.json()['id']}").json()
        assert status["lab_options"] == {"plates_under_both_feet": True, "object_plates": [1, 2]}
        page = client.get(f"/assessments/{r.json()['id']}", headers=HTML).text
        assert "C3D platforms under both feet; C3D platforms under the object: 1, 2" in page
