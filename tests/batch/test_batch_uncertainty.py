"""Batch / web results carry the bands and the verdicts (issue 12): the stored summary's lifts
have the LI interval, P(LI > 1) and the reliability verdict; the peaks have their intervals."""

from liftrisk.batch import run_recording
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.io import write_trc
from liftrisk.synthetic import synthetic_lift


def test_stored_summary_has_intervals_and_verdicts(tmp_path):
    subj = Subject("male", 80.0, 1.78)
    path = tmp_path / "lift.trc"
    write_trc(synthetic_lift(subj, 10.0, noise_m=0.005, rate_hz=30.0, still_s=0.5), path)
    out = run_recording(path, subj, 10.0, AssessmentSettings(uncertainty_draws=20))
    s = out.summary
    assert s["peak_compression_n_p05"] <= s["peak_compression_n"] <= s["peak_compression_n_p95"]
    row = s["lifts"][0]
    assert row["li_p05"] <= row["li_p95"] and 0.0 <= row["p_li_gt_1"] <= 1.0
    assert row["reliability"] in ("reliable", "use with care", "unreliable")
    assert "Reliability" in out.report_html
