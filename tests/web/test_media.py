"""The recording on the assessment page: the skeleton-overlay video (drawn where the keypoints
are, in the right colour, at the right time), its chapters, and the 3D stick figure of a
motion-capture recording."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from lr_web_helpers import SUBJECT, make_client, wait_done

DEMO = Path(__file__).resolve().parents[2] / "src" / "liftrisk" / "data" / "demo" / "demo_lift.trc"
HTML = {"accept": "text/html"}


def _grey_video(path: Path, n: int, size=(320, 240), rate=20.0) -> Path:
    import cv2

    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), rate, size)
    for _ in range(n):
        w.write(np.full((size[1], size[0], 3), 128, np.uint8))
    w.release()
    return path


def test_overlay_draws_the_left_arm_blue_where_the_keypoints_are(tmp_path):
    import cv2

    from liftrisk.core.keypoints import Keypoints2D
    from liftrisk.core.skeletons import get_skeleton
    from liftrisk.report.media import overlay_video

    video = _grey_video(tmp_path / "in.mp4", 10)
    names = get_skeleton("coco17").points
    xy = np.full((10, len(names), 2), np.nan)
    conf = np.zeros((10, len(names)))
    # left shoulder (100, 60) to left elbow (100, 180), in the 320 x 240 video, frames 5-9 only
    xy[5:, names.index("left_shoulder")] = (100, 60)
    xy[5:, names.index("left_elbow")] = (100, 180)
    conf[5:, [names.index("left_shoulder"), names.index("left_elbow")]] = 0.9
    kp = Keypoints2D(np.arange(10) / 20.0, xy, conf, names, "coco17")
    a = SimpleNamespace(keypoints=[kp], video_paths=[video], settings=SimpleNamespace(min_confidence=0.3))
    out = overlay_video(a, tmp_path / "overlay.webm", max_side_px=160)  # half size: the arm at x = 50
    assert out is not None and out.suffix == ".webm"
    cap = cv2.VideoCapture(str(out))
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f)
    assert len(frames) == 10 and frames[0].shape[:2] == (120, 160)
    arm = frames[7][55:65, 48:53].reshape(-1, 3).mean(axis=0)  # mid-arm (50, 60) after halving
    assert arm[0] > arm[2] + 40  # blue (BGR): the left side
    before = frames[2][55:65, 48:53].reshape(-1, 3).mean(axis=0)
    assert np.abs(before - 128).max() < 20  # frame 2 has no keypoints: nothing drawn
    cap.release()


def test_motion_capture_gets_a_3d_stick_figure_and_chapters(tmp_path):
    if not DEMO.exists():
        pytest.skip("bundled demo motion file missing")
    with make_client(tmp_path, runner="liftrisk.batch.runner:run_recording") as c:
        r = c.post("/api/assessments", files={"file": (DEMO.name, DEMO.read_bytes(), "text/plain")},
                   data=dict(SUBJECT, box_mass_kg="10"))
        aid = r.json()["id"]
        assert wait_done(c, aid, timeout_s=240)["status"] == "done"
        page = c.get(f"/assessments/{aid}", headers=HTML).text
        assert 'id="stick3d"' in page and "<video" not in page
        raw = re.search(r'data-target="stick3d">(.*?)</script>', page, re.S).group(1)
        fig = json.loads(raw.replace("<\\/", "</"))
        assert 2 <= len(fig["frames"]) <= 150
        z = [v for v in fig["frames"][0]["data"][0]["z"] if v is not None]
        # the worker stands on the floor (Z up) and is 1.78 m tall: head below 1.78 m, feet near 0
        assert 1.3 < max(z) < 1.78 and min(z) < 0.15
        vtt = c.get(f"/assessments/{aid}/chapters.vtt")
        assert vtt.headers["content-type"].startswith("text/vtt")
        # the demo's first lift is grasped at 1.25 s (demo_lift.trc is built so)
        assert "00:00:01.250 --> " in vtt.text and "Lift 1 (grasp)" in vtt.text
        assert c.get(f"/assessments/{aid}/overlay.webm").status_code == 404
