"""Video reader: errors, rotation, codecs."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from liftrisk.errors import InputFileError
from liftrisk.pose.video import iter_frames, probe_video, read_frames
from tests.conftest import need


def _write(path, n=5, size=(64, 48)):
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, size)
    for i in range(n):
        img = np.zeros((size[1], size[0], 3), np.uint8)
        img[:4, :4] = 255  # white marker in the top-left corner
        img[-4:, -4:, 2] = 40 * i  # frame number in the red channel, bottom-right
        w.write(img)
    w.release()
    return path


def test_missing_empty_corrupt_and_folder(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        probe_video(tmp_path / "nope.mp4")
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        probe_video(tmp_path / "empty.mp4")
    (tmp_path / "bad.mp4").write_bytes(b"this is not a video" * 100)
    with pytest.raises(InputFileError, match="cannot open|no frame"):
        probe_video(tmp_path / "bad.mp4")
    with pytest.raises(InputFileError, match="folder"):
        probe_video(tmp_path)
    with pytest.raises(InputFileError, match="multiple of 90"):
        probe_video(_write(tmp_path / "v.avi"), rotate_deg=45)


def test_rotation_moves_pixels_clockwise(tmp_path):
    p = _write(tmp_path / "v.avi")
    frames = list(iter_frames(p, rotate_deg=90))
    assert len(frames) == 5
    i, t, f = frames[1]
    assert (i, t) == (1, pytest.approx(1 / 30))
    assert f.shape == (64, 48, 3)  # portrait after rotation
    # top-left marker goes to the top-right corner after a clockwise quarter turn
    assert f[:4, -4:].mean() > 200 and f[:4, :4].mean() < 50
    assert probe_video(p).rotation_deg == 0
    assert sorted(read_frames(p, [3, 1])) == [1, 3]


def test_vp9_with_audio_portrait(shared_data):
    p = need(shared_data / "pose2sim_demo" / "videos_balancing" / "cam02.mp4")
    info = probe_video(p)
    assert (info.width_px, info.height_px, info.rate_hz, info.n_frames) == (1080, 1920, 60.0, 100)
    frames = list(iter_frames(p, max_frames=3, stride=2))
    assert [i for i, _, _ in frames] == [0, 2, 4]
    assert frames[0][2].shape == (1920, 1080, 3)
    # seeking (report key frames) gives the same pixels as decoding in order
    seq = {i: f for i, _, f in iter_frames(p, max_frames=60) if i in (4, 37, 59)}
    got = read_frames(p, [59, 4, 37])
    for i, f in seq.items():
        assert np.array_equal(got[i], f)


def _mp4_with_rotation_tag(path, degrees_cw: int):
    """An MP4 whose track header carries a display matrix (as phones write it): the pixels are
    stored landscape and players rotate them by `degrees_cw` clockwise."""
    import struct

    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (64, 48))
    for _ in range(4):
        img = np.zeros((48, 64, 3), np.uint8)
        img[:8, :8] = 255  # marker top-left in the stored pixels
        w.write(img)
    w.release()
    b = bytearray(path.read_bytes())
    i = b.find(b"tkhd")
    assert b[i + 4] == 0  # version 0 track header
    off = i + 8 + 20 + 8 + 8  # version/flags, times/id/duration, reserved, layer/group/volume/reserved
    one = 1 << 16
    c, s = {90: (0, 1), 180: (-1, 0), 270: (0, -1)}[degrees_cw]
    b[off:off + 36] = struct.pack(">9i", c * one, s * one, 0, -s * one, c * one, 0, 0, 0, 1 << 30)
    path.write_bytes(bytes(b))
    return path


@pytest.mark.parametrize("deg, corner", [(90, (slice(0, 8), slice(-8, None))),
                                         (180, (slice(-8, None), slice(-8, None))),
                                         (270, (slice(-8, None), slice(0, 8)))])
def test_rotation_tag_of_phone_videos_is_applied(tmp_path, deg, corner):
    p = _mp4_with_rotation_tag(tmp_path / f"r{deg}.mp4", deg)
    info = probe_video(p)
    assert info.rotation_deg == deg
    assert (info.width_px, info.height_px) == ((48, 64) if deg in (90, 270) else (64, 48))
    _, _, f = next(iter_frames(p))
    assert f[corner].mean() > 200  # the stored top-left marker, rotated clockwise as a player shows it
    assert probe_video(p, rotate_deg=0).rotation_deg == 0  # the override wins
