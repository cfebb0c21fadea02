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
