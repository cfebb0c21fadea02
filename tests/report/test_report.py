"""The HTML report is self-contained, shows every section, and its numbers match the
assessment it was made from."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from liftrisk.core import Subject
from liftrisk.pipeline import assess_keypoints, assess_motion
from liftrisk.report import render_html, write_report
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
    for finding in assessment.summary["findings"]:
        assert finding.replace("->", "-&gt;").replace("<", "&lt;") in html or finding in html


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
