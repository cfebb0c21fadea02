"""The HTML report is self-contained, shows every section, and its numbers match the
assessment it was made from."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from liftrisk.core import Subject
from liftrisk.pipeline import assess_keypoints, assess_motion
from liftrisk.report import findings, render_html, write_report
from liftrisk.synthetic.lift import synthetic_lift

SUBJECT = Subject("female", 62.0, 1.65, 30.0)


@pytest.fixture(scope="module")
def assessment():
    m = synthetic_lift(SUBJECT, 8.0, origin_m=(0.40, 0.30), destination_m=(0.40, 1.00), duration_s=3.0, rate_hz=50.0)
    return assess_motion(m, SUBJECT, 8.0)


def _images(html: str) -> list[bytes]:
    return [base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)]


def test_self_contained_with_all_sections(assessment, tmp_path):
    p = write_report(assessment, tmp_path / "r.html", title="test lift")
    html = p.read_text()
    # no external resources: nothing fetched from a server or another file
    assert not re.search(r'(src|href)="(https?:|//|file:)', html)
    imgs = _images(html)
    assert len(imgs) == 4  # key frames, L5/S1, joints, scores
    for png in imgs:
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    for heading in ("Key frames", "Low back (L5/S1)", "Joint torques and workload", "Posture scores",
                    "NIOSH lifting equation and ACGIH TLV", "Highest-risk moments"):
        assert heading in html
    for finding in findings(assessment):
        assert finding.replace("->", "-&gt;").replace("<", "&lt;") in html or finding in html


def test_findings_quote_the_limits_the_assessment_was_rated_against(assessment):
    """The sentences quote the compression limits of the summary (read from the package's
    limits file: NIOSH 3400 / 6400 N), not numbers written into the text."""
    s = dict(assessment.summary)
    assert (s["action_limit_n"], s["maximum_permissible_n"]) == (3400.0, 6400.0)  # NIOSH 1981 via 3DSSPP
    s.update(peak_compression_n=3000.0, action_limit_n=2500.0, maximum_permissible_n=5000.0,
             time_above_action_limit_s=0.4)
    text = " ".join(findings(assessment, s))
    assert "above the NIOSH action limit (2500 N)" in text and "above 2500 N for 0.40 s" in text
    assert "3400" not in text and "6400" not in text


def test_numbers_match_the_assessment(assessment):
    html = render_html(assessment)
    s = assessment.summary
    assert f"{s['peak_compression_n']:,.0f} N" in html
    rows = re.findall(r"<tr><td>(\d+)</td>", html)
    assert len(rows) == len(assessment.lifts) >= 1
    li = assessment.lifts[0].li
    assert f"<b>{li:.2f}</b>" in html
    assert "female, 62 kg, 1.65 m, box 8.0 kg" in html


def test_video_key_frames_are_drawn_on_frames(tmp_path):
    """Key frames come from the video itself when the assessment has keypoints and a video."""
    import cv2

    from tests.pipeline._render import as_mediapipe, look_at, render

    m = synthetic_lift(SUBJECT, 8.0, duration_s=2.4, rate_hz=25.0)
    truth = as_mediapipe(m.select([p for p in m.point_names if p != "box"]))
    cam = look_at("side", (0.3, -3.0, 1.0), (0.3, 0.0, 0.8), size=(320, 240), f_px=250.0)
    kp = render(truth, cam)
    video = tmp_path / "v.avi"
    w = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, (320, 240))
    for _ in range(kp.n_frames):
        w.write(np.full((240, 320, 3), 200, np.uint8))
    w.release()
    a = assess_keypoints([kp], SUBJECT, [cam], 8.0, video_paths=[video])
    html = render_html(a)
    assert "Detected keypoints drawn on the video" in html
    assert len(_images(html)) == 4


def test_every_major_joint_is_rated(assessment):
    """Workload of L5/S1, shoulders, elbows, hips, knees and ankles (both sides) in the table,
    the summary and the report; capacities from the kinetics' cited tables, so e.g. L5/S1's
    ratio equals |extension moment| / that capacity (an independent division here)."""
    from liftrisk.kinetics.strength import upper_body_strength

    cols = set(assessment.workload.columns)
    joints = ["l5s1"] + [f"{s}_{j}" for s in "lr" for j in ("shoulder", "elbow", "hip", "knee", "ankle")]
    assert cols == {f"{j}_workload_ratio" for j in joints}
    m = assessment.kinetics["l5s1_extension_moment_nm"].to_numpy()
    cap = np.where(m >= 0, upper_body_strength(SUBJECT, "l5s1", "extension"),
                   upper_body_strength(SUBJECT, "l5s1", "flexion"))
    np.testing.assert_allclose(assessment.workload["l5s1_workload_ratio"], np.abs(m) / cap, rtol=1e-12)
    html = render_html(assessment)
    assert "Harbo et al. 2012" in html and "Rantanen et al. 1994" in html
    assert "peak workload" in html


def test_off_balance_is_flagged_in_the_report():
    """A posture held 40 cm to the side of the feet: the warning and the hatched-span note appear."""
    from liftrisk.kinetics.inverse_dynamics import demo_posture

    m = demo_posture(40)
    pos = m.positions_m.copy()
    feet = [k for k, n in enumerate(m.point_names) if n.endswith(("heel", "toe", "ankle"))]
    body = [k for k in range(m.n_points) if k not in feet]
    pos[:, body, 1] += 0.40
    a = assess_motion(m.replace(positions_m=pos), SUBJECT, None)
    html = render_html(a)
    assert "off balance" in html and "hatched grey" in html


def test_decimation_keeps_peaks_and_order():
    from liftrisk.report.html import decimate

    t = np.linspace(0, 600, 36_000)
    v = np.sin(t) + (np.abs(t - 123.4) < 0.01) * 10.0
    tt, vv = decimate(t, v, 1000)
    assert len(tt) <= 1000 and np.all(np.diff(tt) > 0)
    assert vv.max() == v.max() and vv.min() == v.min()
