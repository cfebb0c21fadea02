"""The web app and the store with the real pipeline (default runner) on a synthetic lift:
the numbers that reach the database are the ones the pipeline computes, for the file that
was uploaded (frames, duration, box mass entered in the form), and a video in which nobody
can be seen fails with the pipeline's message."""

from __future__ import annotations

import importlib.util
import io

import pandas as pd
import pytest
from lr_web_helpers import make_client, upload, wait_done

pytestmark = pytest.mark.skipif(importlib.util.find_spec("liftrisk.pipeline") is None,
                                reason="liftrisk.pipeline missing")


@pytest.fixture(scope="module")
def lift_trc(tmp_path_factory):
    from liftrisk.core import Subject
    from liftrisk.io import write_trc
    from liftrisk.synthetic.lift import synthetic_lift

    p = tmp_path_factory.mktemp("lift") / "lift.trc"
    # 2.4 s at 60 Hz: 145 frames, one floor-to-waist lift
    write_trc(synthetic_lift(Subject("male", 80, 1.78), 10.0, rate_hz=60.0), p)
    return p


def test_real_pipeline_through_the_web(tmp_path, lift_trc):
    from liftrisk.core import Subject
    from liftrisk.pipeline import assess_file

    with make_client(tmp_path, runner="liftrisk.batch.runner:run_recording") as c:
        r = upload(c, content=lift_trc.read_bytes(), name="lift.trc", mime="", sex="male", mass_kg="80",
                   height_m="1.78", age_years="", box_mass_kg="10")
        assert r.status_code == 201, r.text
        s = wait_done(c, r.json()["id"], timeout_s=120)
        assert s["status"] == "done", s
        aid = r.json()["id"]
        summary = c.get(f"/api/assessments/{aid}/summary").json()
        assert summary["n_frames"] == 145 and summary["duration_s"] == pytest.approx(2.4)
        assert summary["box_kg"] == 10.0 and summary["n_lifts"] == 1 and len(summary["lifts"]) == 1
        direct = assess_file(lift_trc, Subject("male", 80, 1.78), 10.0).summary
        for key in ("peak_compression_n", "peak_l5s1_extension_moment_nm", "peak_reba", "max_li"):
            assert summary[key] == pytest.approx(direct[key], rel=1e-12), key
        csv = pd.read_csv(io.StringIO(c.get(f"/assessments/{aid}/timeseries.csv").text))
        assert csv.columns[0] == "time_s" and len(csv) == 145
        assert csv["compression_n"].max() == pytest.approx(summary["peak_compression_n"], rel=1e-5)
        rep = c.get(f"/assessments/{aid}/report.html").text
        assert "lift.trc" in rep and "<img" in rep  # the user's file name, not the storage hash
        page = c.get(f"/assessments/{aid}", headers={"accept": "text/html"}).text
        assert 'id="findings"' in page and 'id="lifts"' in page and page.count('class="figure"') >= 4


def test_video_without_a_person_fails_clearly(tmp_path):
    from lr_bad_corpus import small_mp4

    with make_client(tmp_path, runner="liftrisk.batch.runner:run_recording") as c:
        r = upload(c, content=small_mp4(12), name="empty_room.mp4", mime="video/mp4")
        assert r.status_code == 201, r.text
        s = wait_done(c, r.json()["id"], timeout_s=120)
        assert s["status"] == "failed" and "empty_room.mp4" in s["error"], s
        assert "person" in s["error"] and "internal error" not in s["error"]
