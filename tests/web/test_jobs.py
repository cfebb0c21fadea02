"""The web app's job view: assessments grouped by job and task, the job-level figures
equal to `liftrisk.job.evaluate_job` on the same lifts, task frequencies as parameters."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from lr_web_helpers import make_client, upload, wait_done

DEMO = Path(str(resources.files("liftrisk") / "data" / "demo" / "demo_lift.trc"))


def test_job_page_groups_assessments_and_matches_the_library(tmp_path):
    from liftrisk.core import Subject
    from liftrisk.job import JobSpec, TaskSpec, evaluate_job, lift_measures
    from liftrisk.pipeline import assess_file

    with make_client(tmp_path, runner="liftrisk.batch.runner:run_recording") as c:
        ids = []
        for task in ("shelf", "bench"):
            r = upload(c, content=DEMO.read_bytes(), name="demo_lift.trc", mime="", job="pallets", task=task,
                       sex="male", mass_kg="80", height_m="1.78", age_years="40", box_mass_kg="10")
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        for aid in ids:
            assert wait_done(c, aid, timeout_s=180)["status"] == "done"
        page = c.get("/jobs", headers={"accept": "text/html"})
        assert page.status_code == 200 and "pallets" in page.text and "bench, shelf" in page.text
        q = "?f.shelf=2&h.shelf=3&f.bench=0.5&duration_h=8"
        page = c.get(f"/jobs/pallets{q}", headers={"accept": "text/html"})
        assert page.status_code == 200 and "Full job report" in page.text
        assert "NIOSH composite lifting index (CLI)" in page.text
        js = c.get(f"/jobs/pallets/job.json{q}").json()
        rep = c.get(f"/jobs/pallets/report.html{q}")
        assert rep.status_code == 200 and "Job risk assessment" in rep.text
        bad = c.get("/jobs/pallets?f.shelf=lots", headers={"accept": "text/html"})
        assert bad.status_code >= 400 and "expected a number" in bad.text
    # the same numbers from the library on the same recording
    subj = Subject("male", 80, 1.78, 40)
    ms = lift_measures(assess_file(DEMO, subj, 10.0), recording="demo_lift.trc")
    spec = JobSpec("pallets", 8.0, subj, (TaskSpec("bench", ("x",), 10.0, 0.5, 8.0),
                                         TaskSpec("shelf", ("x",), 10.0, 2.0, 3.0)))
    ref = evaluate_job(spec, {"shelf": ms, "bench": ms})
    assert js["niosh"]["CLI"] == pytest.approx(ref.niosh["CLI"], rel=1e-9)
    assert js["niosh"]["VLI"] == pytest.approx(ref.niosh["VLI"], rel=1e-9)
    assert js["lifft"]["cumulative_damage"] == pytest.approx(ref.lifft["cumulative_damage"], rel=1e-9)
    assert {t["name"]: t["repetitions_per_day"] for t in js["tasks"]} == {"shelf": 360, "bench": 240}
    # the page shows the library's CLI, rounded to 0.01
    assert f'<div class="card-value">{ref.niosh["CLI"]:.2f}</div>' in page.text


def test_unknown_job_is_a_clear_error(tmp_path):
    with make_client(tmp_path) as c:
        r = c.get("/jobs/nope", headers={"accept": "text/html"})
        assert r.status_code >= 400 and "no assessments" in r.text


def test_assessments_without_lift_measures_are_listed_not_used(tmp_path):
    """An assessment stored without lift measures (older version, or a runner that keeps none)
    is named on the job page and left out of the figures instead of breaking the page."""
    with make_client(tmp_path) as c:  # the table runner stores a summary without lift measures
        aid = upload(c, job="old", task="t1").json()["id"]
        assert wait_done(c, aid)["status"] == "done"
        page = c.get("/jobs/old", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert f"Assessments {aid} were stored before lift measures" in page.text
        assert "No finished assessment with detected lifts" in page.text
        assert c.get("/jobs/old/job.json").status_code >= 400
