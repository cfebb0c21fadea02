"""Detecting every n-th frame and filling the frames between where the motion allows it
(`liftrisk.pose.detector._detect_filling`): checked against known paths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.pose.detector import FrameDetection, _detect_filling, interpolation_error

RATE = 30.0
#: a 5-point "body" 1 m (and 1000 px) across: body size (bounding-box diagonal) sqrt(2)
SHAPE = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.5]])


class PathDetector:
    """A detector that reads the frame's index from its pixels and returns a known path."""

    skeleton = "mediapipe33"

    def __init__(self, path, missing=()):
        self.path, self.missing, self.seen = path, set(missing), []

    def detect(self, frame_rgb):
        i = int(frame_rgb[0, 0, 0]) + 256 * int(frame_rgb[0, 0, 1])
        self.seen.append(i)
        if i in self.missing:
            return FrameDetection(np.full((5, 2), np.nan), np.zeros(5), None)
        off = self.path(i / RATE)
        return FrameDetection(1000.0 * (SHAPE + off), np.ones(5), np.c_[SHAPE + off, np.zeros(5)])

    def close(self):
        pass


def _frames(n):
    for i in range(n):
        f = np.zeros((2, 2, 3), np.uint8)
        f[0, 0, 0], f[0, 0, 1] = i % 256, i // 256
        yield i, i / RATE, f, True


def _run(path, n, every, tol, missing=()):
    main, refine = PathDetector(path, missing), PathDetector(path, missing)
    found, stats = _detect_filling(_frames(n), main, refine, every, tol, lambda: None)
    truth = np.array([1000.0 * (SHAPE + path(i / RATE)) for i in range(n)])
    return np.array([d.xy_px for _, d in found]), truth, main, refine, stats


def test_constant_velocity_is_filled_exactly():
    # a straight line at constant speed: linear interpolation is exact, so after the first
    # frames (detected until three detections `every` apart exist) only every 3rd is detected
    xy, truth, main, refine, stats = _run(lambda t: np.array([0.8 * t, -0.3 * t]), 90, 3, 0.01)
    assert xy.shape == truth.shape
    np.testing.assert_allclose(xy, truth, atol=1e-9)
    assert refine.seen == [] and stats["pose_frames_refined"] == 0
    assert stats["pose_frames_filled"] >= 55 and len(main.seen) == 90 - stats["pose_frames_filled"]
    assert main.seen == sorted(main.seen)          # the tracker sees its frames in time order


def test_fast_motion_is_detected_not_filled():
    # calm, then a burst of large acceleration (a 4 Hz, 10 cm swing for 0.5 s), then calm
    def path(t):
        burst = 0.1 * np.sin(2 * np.pi * 4.0 * (t - 1.0)) if 1.0 <= t <= 1.5 else 0.0
        return np.array([burst, 0.0])

    xy, truth, main, refine, stats = _run(path, 90, 3, 0.002)
    err = np.linalg.norm(xy - truth, axis=2).max(axis=1) / 1000.0 / np.sqrt(2)  # fraction of the body size
    assert err[30:46].max() < 1e-9                  # every frame of the burst is a detection
    assert stats["pose_frames_filled"] > 20        # the calm parts are filled
    assert refine.seen == sorted(refine.seen)
    assert err.max() <= 2 * 0.002


def test_person_missing_at_one_end_is_not_interpolated():
    xy, truth, *_ = _run(lambda t: np.array([0.1 * t, 0.0]), 60, 3, 0.05, missing={30})
    assert np.isnan(xy[30]).all()
    # the frames next to the gap are detections, not a line to a missing point
    np.testing.assert_allclose(xy[[28, 29, 31, 32]], truth[[28, 29, 31, 32]], atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(amp=st.floats(0.0, 0.2), freq=st.floats(0.1, 1.5), phase=st.floats(0, 6.3), every=st.integers(2, 4),
       tol=st.sampled_from([0.002, 0.005, 0.02]))
def test_filled_frames_within_twice_the_tolerance(amp, freq, phase, every, tol):
    # smooth paths slower than the sampling: the estimate from three detections bounds the
    # interpolation error to within a factor of 2; detected frames are exact
    def path(t):
        return np.array([amp * np.sin(2 * np.pi * freq * t + phase), 0.5 * amp * np.cos(2 * np.pi * freq * t)])

    xy, truth, main, _, stats = _run(path, 120, every, tol)
    err = np.linalg.norm(xy - truth, axis=2).max(axis=1) / 1000.0 / np.sqrt(2)
    assert err.max() <= 2 * tol + 1e-12
    assert sorted(main.seen) == main.seen and 119 in main.seen   # the last frame is always detected


def test_interpolation_error_of_a_parabola_is_exact():
    # x = a t^2 / 2: the straight line between samples h apart strays by a h^2 / 8 at the middle
    a, h = 6.0, 0.1
    dets = [FrameDetection(1000.0 * (SHAPE + [a * t * t / 2, 0.0]), np.ones(5)) for t in (0.0, h, 2 * h)]
    assert interpolation_error(dets, [0.0, h, 2 * h]) == pytest.approx(a * h * h / 8 / np.sqrt(2), rel=1e-9)
