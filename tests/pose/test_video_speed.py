"""Video speed options: frames shrunk for the detector, analysis rate, streaming."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from liftrisk.core.settings import AssessmentSettings
from liftrisk.errors import SettingsError
from liftrisk.pose.video import iter_frames, scaled_size, video_stride


def _write(path, n=6, size=(400, 200)):
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, size)
    for _ in range(n):
        img = np.zeros((size[1], size[0], 3), np.uint8)
        img[50:150, 100:300] = 255  # a white rectangle: its corners scale with the frame
        w.write(img)
    w.release()
    return path


def test_frames_shrunk_keep_aspect_and_content(tmp_path):
    p = _write(tmp_path / "v.avi")
    frames = [f for _, _, f in iter_frames(p, max_side_px=100)]
    assert len(frames) == 6 and frames[0].shape == (50, 100, 3)
    # the rectangle [100, 300) x [50, 150) of the 400 x 200 frame is [25, 75) x [12.5, 37.5) at 1/4
    ys, xs = np.nonzero(frames[0][:, :, 0] > 127)
    assert (xs.min(), xs.max() + 1) == (25, 75)
    assert ys.min() in (12, 13) and ys.max() + 1 in (37, 38)
    # rotated first, then shrunk: the longer side is the rotated height
    f = next(iter_frames(p, rotate_deg=90, max_side_px=100))[2]
    assert f.shape == (100, 50, 3)
    # a limit above the size changes nothing
    assert next(iter_frames(p, max_side_px=1000))[2].shape == (200, 400, 3)


@pytest.mark.parametrize(("video", "limit", "stride", "rate"), [
    (30.0, 30.0, 1, 30.0), (60.0, 30.0, 2, 30.0), (30.0, 15.0, 2, 15.0), (25.0, 15.0, 2, 12.5),
    (30.0, 10.0, 3, 10.0), (59.94, 30.0, 2, 29.97), (120.0, 25.0, 5, 24.0), (30.0, 0.0, 1, 30.0)])
def test_analysis_rate_never_above_the_limit(video, limit, stride, rate):
    assert video_stride(video, limit) == stride
    assert video / stride == pytest.approx(rate)
    assert limit == 0 or video / stride <= limit + 1e-9


def test_scaled_size_longer_side():
    assert scaled_size(1920, 1080, 960) == (960, 540)
    assert scaled_size(1080, 1920, 960) == (540, 960)
    assert scaled_size(1768, 994, 960) == (960, 540)


def test_settings_checked():
    assert AssessmentSettings(video_rate_hz="15", video_max_side_px=640).video_rate_hz == 15.0
    with pytest.raises(SettingsError, match="video_rate_hz"):
        AssessmentSettings(video_rate_hz=-1)
    with pytest.raises(SettingsError, match="video_max_side_px"):
        AssessmentSettings(video_max_side_px=12.5)


def test_reading_from_a_frame_gives_the_same_frames(tmp_path):
    p = tmp_path / "v.avi"
    w = cv2.VideoWriter(str(p), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (64, 48))
    for i in range(20):
        w.write(np.full((48, 64, 3), 10 * i, np.uint8))  # brightness = frame number
    w.release()
    whole = {i: f for i, _, f in iter_frames(p)}
    part = list(iter_frames(p, stride=3, start=9, stop=16))
    assert [i for i, _, _ in part] == [9, 12, 15]
    assert [t for _, t, _ in part] == pytest.approx([0.3, 0.4, 0.5])
    for i, _, f in part:
        assert np.array_equal(f, whole[i])


def test_seek_on_vp9_phone_video(shared_data):
    from tests.conftest import need

    p = need(shared_data / "pose2sim_demo" / "videos_balancing" / "cam02.mp4")
    whole = {i: f for i, _, f in iter_frames(p, max_frames=70) if i >= 50}
    part = list(iter_frames(p, start=50, stop=70))
    assert [i for i, _, _ in part] == list(range(50, 70))
    for i, _, f in part:
        assert np.array_equal(f, whole[i])


@pytest.mark.slow
def test_parallel_parts_agree_with_one_detector(shared_data):
    """Two MediaPipe graphs on the two halves of a clip give the frames and keypoints of one
    graph on the whole clip, except for a few frames after the cut (tracking restarts)."""
    from liftrisk.pose.detector import detect_video, segment_count
    from tests.conftest import need

    p = need(shared_data / "sports2d_demo" / "demo4.mp4")  # 402 frames, one person walking
    one = detect_video(p, workers=1)
    two = detect_video(p, workers=2)
    assert segment_count(one.n_frames, 2) == 2 and two.meta["pose_segments"] == 2
    assert np.array_equal(one.time_s, two.time_s)
    seen = np.isfinite(one.xy_px).all(axis=2) & np.isfinite(two.xy_px).all(axis=2) & (one.confidence > 0.5)
    err = np.linalg.norm(one.xy_px - two.xy_px, axis=2)[seen]
    assert np.median(err) < 2.0  # px, in a 1280 x 720 frame
    assert abs(one.detected_fraction() - two.detected_fraction()) < 0.02


def test_fill_settings_checked():
    s = AssessmentSettings(video_detect_every="3", video_fill_tolerance=0.05)
    assert (s.video_detect_every, s.video_fill_tolerance) == (3, 0.05)
    assert AssessmentSettings().video_detect_every == 1          # every frame unless asked
    with pytest.raises(SettingsError, match="video_detect_every"):
        AssessmentSettings(video_detect_every=0)
    with pytest.raises(SettingsError, match="video_detect_every"):
        AssessmentSettings(video_detect_every=2.5)
    with pytest.raises(SettingsError, match="video_fill_tolerance"):
        AssessmentSettings(video_fill_tolerance=-0.1)
