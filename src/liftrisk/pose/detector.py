"""2D/3D keypoint detectors behind one interface, and running one over a video.

A detector is any object with a ``skeleton`` name (registered in
`liftrisk.core.skeletons`), ``detect(frame_rgb)`` returning a `FrameDetection`, and
``close()``. Another backend (MMPose, RTMPose, a GPU model) only has to implement this
`PoseDetector` protocol; precomputed keypoints skip detection entirely
(`liftrisk.pose.precomputed`).

The bundled backend is Google MediaPipe Pose (BlazePose GHUM 3D, Bazarevsky et al. 2020,
arXiv:2006.10204) with ``model_complexity=1``: the *full* landmark model is the only pose
model inside the mediapipe 0.10.21 wheel (``pose_landmark_full.tflite``); the lite (0) and
heavy (2) models are downloaded at run time and so are refused here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.skeletons import get_skeleton
from liftrisk.errors import DataQualityError, ModelError
from liftrisk.pose._native_log import filtered_native_stderr
from liftrisk.pose.video import iter_frames, probe_video, scaled_size, video_stride


@dataclass(frozen=True)
class FrameDetection:
    """One frame's detection of one person.

    Attributes
    ----------
    xy_px : numpy.ndarray
        (K, 2) pixels (px; NaN if nobody found).
    confidence : numpy.ndarray
        (K,) detector confidence (0-1).
    world_m : numpy.ndarray or None
        (K, 3) detector-frame metric landmarks (m).
    """

    xy_px: np.ndarray
    confidence: np.ndarray
    world_m: np.ndarray | None = None


@runtime_checkable
class PoseDetector(Protocol):
    """What a keypoint detector backend provides."""

    skeleton: str

    def detect(self, frame_rgb: np.ndarray) -> FrameDetection:
        """Detect one person in an RGB uint8 image (H, W, 3)."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...


class MediaPipePoseDetector:
    """MediaPipe Pose (33 landmarks, image and metric world landmarks), CPU, offline.

    Parameters
    ----------
    min_detection_confidence, min_tracking_confidence : float
        MediaPipe thresholds (0-1).
    smooth_landmarks : bool
        MediaPipe's own temporal smoothing (video mode).
    static_image_mode : bool
        Detect the person in every frame (slower; for unrelated images).

    Examples
    --------
    >>> det = MediaPipePoseDetector()
    >>> d = det.detect(np.zeros((64, 64, 3), np.uint8))   # nobody in a black image
    >>> d.xy_px.shape, bool(np.isnan(d.xy_px).all())
    ((33, 2), True)
    >>> det.close()
    """

    skeleton = "mediapipe33"
    model_complexity = 1  # the only pose landmark model bundled in the wheel

    def __init__(self, min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5,
                 smooth_landmarks: bool = True, static_image_mode: bool = False) -> None:
        try:
            import mediapipe as mp
        except ImportError as exc:  # pragma: no cover - mediapipe is a dependency
            raise ModelError(f"MediaPipe is not installed ({exc}); pip install mediapipe==0.10.21") from None
        self._k = len(get_skeleton(self.skeleton).points)
        self._pose = mp.solutions.pose.Pose(static_image_mode=static_image_mode,
                                            model_complexity=self.model_complexity,
                                            smooth_landmarks=smooth_landmarks,
                                            min_detection_confidence=min_detection_confidence,
                                            min_tracking_confidence=min_tracking_confidence)

    def detect(self, frame_rgb: np.ndarray, time_s: float | None = None) -> FrameDetection:
        """Detect one person in an RGB uint8 image; `time_s` (s, increasing) is the frame's
        time for MediaPipe's landmark smoothing and tracking (default: 1/30 s after the last
        frame, MediaPipe's own assumption): frames detected at uneven steps need it."""
        h, w = frame_rgb.shape[:2]
        if time_s is not None and hasattr(self._pose, "_simulated_timestamp"):
            # the solution API adds 33333 us before each frame; its graph needs increasing times
            us = max(int(round(time_s * 1e6)), self._pose._simulated_timestamp + 33334)
            self._pose._simulated_timestamp = us - 33333
        res = self._pose.process(frame_rgb)
        if res.pose_landmarks is None:
            return FrameDetection(np.full((self._k, 2), np.nan), np.zeros(self._k), None)
        lm = np.array([(p.x, p.y, p.visibility) for p in res.pose_landmarks.landmark])
        xy = lm[:, :2] * [w, h]
        world = None
        if res.pose_world_landmarks is not None:
            world = np.array([(p.x, p.y, p.z) for p in res.pose_world_landmarks.landmark])
        return FrameDetection(xy, np.clip(lm[:, 2], 0.0, 1.0), world)

    def close(self) -> None:
        """Release the MediaPipe graph."""
        self._pose.close()

    def __enter__(self) -> MediaPipePoseDetector:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_END = object()


def _read_ahead(path, info, stride, max_side_px, start=0, stop=None, depth: int = 4, rgb=None):
    """Yield ``(time_s, frame_rgb)`` decoded by a reader thread ``depth`` frames ahead, so
    video decoding, resizing to `max_side_px` and colour conversion (OpenCV, which releases
    the GIL) overlap with inference on a second core. At most ``depth`` frames wait in the
    queue: memory does not grow with the video's length. Errors of the reader are raised
    here; stopping early (an exception in the consumer) stops the reader.

    With `rgb` (a function of the frame's position among the analysed frames), only the
    frames it accepts are converted to RGB there; the others come as BGR (to convert when
    used) and the items are ``(position, time_s, frame, is_rgb)``."""
    import queue

    q: queue.Queue = queue.Queue(maxsize=depth)
    halt = threading.Event()

    def put(item) -> bool:
        while not halt.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def reader() -> None:
        try:
            for i, (_, t, frame) in enumerate(iter_frames(path, info.rotation_deg, None, stride,
                                                          max_side_px=max_side_px, info=info, start=start,
                                                          stop=stop)):
                if rgb is None:
                    item = (t, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
                elif rgb(i):
                    item = (i, t, cv2.cvtColor(frame, cv2.COLOR_BGR2RGB), True)
                else:
                    item = (i, t, frame, False)
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)

    th = threading.Thread(target=reader, name="liftrisk-video-reader", daemon=True)
    th.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        halt.set()
        th.join(timeout=5.0)




#: landmarks whose confidence is below this do not enter the fill decision
FILL_MIN_CONFIDENCE = 0.5


def _body_size(d: FrameDetection, world: bool) -> float:
    """Diagonal of the confident landmarks' bounding box (px, or m for world landmarks); NaN if
    fewer than 4 such landmarks."""
    x = d.world_m if world else d.xy_px
    if x is None:
        return float("nan")
    x = x[(d.confidence >= FILL_MIN_CONFIDENCE) & np.isfinite(x).all(axis=1)]
    return float(np.linalg.norm(x.max(axis=0) - x.min(axis=0))) if len(x) >= 4 else float("nan")


def interpolation_error(dets: list, times: list, world: bool = False) -> float:
    """Largest error of linear interpolation between the middle detection's neighbours, as a
    fraction of the body size, estimated from three detections at `times` (s): for a path
    with acceleration ``a`` the straight line between samples ``h`` apart strays by at most
    ``|a| h^2 / 8`` (the remainder of linear interpolation), and ``a`` is the second divided
    difference of the three detections. Only landmarks confident in all three count.

    Parameters
    ----------
    dets : list of FrameDetection
        Three detections of the same person.
    times : list of float
        Their times, s (increasing; the steps may differ).
    world : bool
        Use the metric world landmarks (m) instead of the pixels.

    Returns
    -------
    float
        The largest estimated error over the landmarks divided by the body size (diagonal
        of the middle detection's confident landmarks); NaN when fewer than 4 landmarks are
        confident in all three.

    Examples
    --------
    >>> c = np.ones(5)
    >>> line = [FrameDetection(np.c_[np.arange(5.0) + 10 * k, np.zeros(5)], c) for k in range(3)]
    >>> interpolation_error(line, [0.0, 0.1, 0.2])            # constant velocity: exact
    0.0
    >>> bend = line[:2] + [FrameDetection(np.c_[np.arange(5.0) + 20, np.full(5, 8.0)], c)]
    >>> round(interpolation_error(bend, [0.0, 0.1, 0.2]), 3)   # |a| h^2 / 8 = 8 / 8 px, body 4 px
    0.25
    """
    xs = [d.world_m if world else d.xy_px for d in dets]
    if any(x is None for x in xs):
        return float("nan")
    ok = np.ones(len(xs[0]), bool)
    for d, x in zip(dets, xs, strict=True):
        ok &= (d.confidence >= FILL_MIN_CONFIDENCE) & np.isfinite(x).all(axis=1)
    if ok.sum() < 4:
        return float("nan")
    h1, h2 = times[1] - times[0], times[2] - times[1]
    acc = 2.0 * ((xs[2][ok] - xs[1][ok]) / h2 - (xs[1][ok] - xs[0][ok]) / h1) / (h1 + h2)
    size = max(_body_size(dets[1], world), 1e-9)
    return float(np.max(np.linalg.norm(acc, axis=1)) * max(h1, h2) ** 2 / 8.0 / size)


def _interpolate(d0: FrameDetection, d1: FrameDetection, f: float) -> FrameDetection:
    """The detection a fraction `f` of the way from `d0` to `d1` (linear; confidence the lower)."""
    world = None if d0.world_m is None or d1.world_m is None else (1 - f) * d0.world_m + f * d1.world_m
    return FrameDetection((1 - f) * d0.xy_px + f * d1.xy_px, np.minimum(d0.confidence, d1.confidence), world)


def _found(d: FrameDetection) -> bool:
    return bool(np.isfinite(d.xy_px).any())


def _detect_filling(frames, main, refine, every: int, tolerance: float, count) -> tuple[list, dict]:
    """Detect the frames of `frames` (items of `_read_ahead` with `rgb`), skipping frames
    where the motion allows it and filling them by linear interpolation.

    `main` sees the frames in time order. Where the motion is calm it detects only every
    `every`-th frame (anchors); where it is fast it detects every frame, as one detector
    over the whole video would. Calm means that the error of a straight line between
    detections `every` frames apart, estimated from three such detections
    (`interpolation_error`, image and world landmarks), is at most `tolerance` (fraction of
    the body size) and the person is found in all three. Each interval between anchors is
    decided once the next anchor is known (the estimates centred on both of its ends): calm,
    it is filled by interpolation; not calm, its frames (held back) are detected by the
    second detector `refine`, in order (a tracker needs its frames in time order: `main`
    has moved on), and `main` goes back to every frame. `refine` is first run on the
    interval's start frame when it did not see the frame before it, and its detections are
    used only if they agree there with `main`'s (same person; else the interval is
    interpolated). At most two intervals of frames are held. Returns the detections
    (time, FrameDetection) in frame order and counts: detector runs, frames detected by
    `refine`, frames filled by interpolation."""
    k = every
    buf: dict[int, tuple[float, np.ndarray, bool]] = {}   # position -> (time, frame, is_rgb)
    hist: dict[int, tuple[float, FrameDetection]] = {}    # frames `main` detected
    out: dict[int, tuple[float, FrameDetection]] = {}
    anchors: list[int] = []                               # sparse anchors not yet settled (first: settled)
    runs = [0]
    refined: set[int] = set()
    filled: set[int] = set()
    last_refine = [-10]

    def rgb(i: int) -> np.ndarray:
        _, fr, is_rgb = buf[i]
        return fr if is_rgb else cv2.cvtColor(fr, cv2.COLOR_BGR2RGB)

    def detect(det, i: int) -> FrameDetection:
        runs[0] += 1
        return det.detect(rgb(i), buf[i][0]) if isinstance(det, MediaPipePoseDetector) else det.detect(rgb(i))

    def calm(centre: int, step: int, before: int | None = None, after: int | None = None) -> bool:
        """Straight lines through `main`'s detections around `centre` (`step` frames apart, or
        at `before` and `after`) are within the tolerance (False when a detection is missing
        or nobody is found)."""
        trio = [hist.get(centre - step if before is None else before), hist.get(centre),
                hist.get(centre + step if after is None else after)]
        if any(x is None or not _found(x[1]) for x in trio):
            return False
        for world in (False, True):
            e = interpolation_error([x[1] for x in trio], [x[0] for x in trio], world)
            if np.isfinite(e) and e > tolerance:
                return False
        return True

    def run_refine(i0: int, i1: int) -> None:
        """Detect the frames strictly between i0 and i1 with `refine`."""
        d0 = hist[i0][1]
        same = True
        if last_refine[0] < i0 - 1:  # start the refining tracker where `main` is
            dp = detect(refine, i0)
            same = (not _found(d0) and not _found(dp)) or (_found(d0) and _found(dp) and float(np.nanmedian(
                np.linalg.norm(dp.xy_px - d0.xy_px, axis=1))) < 0.1 * max(_body_size(d0, False), 1.0))
        dets = [(i, detect(refine, i)) for i in range(i0 + 1, i1)]
        last_refine[0] = i1 - 1
        if not same:
            interpolate(i0, i1)
            return
        for i, d in dets:
            out[i] = (buf[i][0], d)
            refined.add(i)

    def interpolate(i0: int, i1: int) -> None:
        (t0, d0), (t1, d1) = hist[i0], hist[i1]
        for i in range(i0 + 1, i1):
            if i not in out:
                out[i] = (buf[i][0], _interpolate(d0, d1, (buf[i][0] - t0) / (t1 - t0)) if _found(d0) and
                          _found(d1) else FrameDetection(np.full_like(d0.xy_px, np.nan), np.zeros_like(d0.confidence)))
                filled.add(i)

    def forget_before(i: int) -> None:
        for j in [j for j in buf if j < i]:
            del buf[j]

    dense = True
    last = -1
    for i, t, frame, is_rgb in frames:
        buf[i] = (t, frame, is_rgb)
        last = i
        count()
        if not dense and i != anchors[-1] + k:
            continue
        d = detect(main, i)
        hist[i] = (t, d)
        out[i] = (t, d)
        if dense:
            forget_before(i)
            if i >= 2 * k and calm(i - k, k):      # calm again: detect every k-th frame from here
                dense, anchors = False, [i]
            continue
        anchors.append(i)
        if len(anchors) < 3:
            continue
        a0, a1 = anchors[-3], anchors[-2]
        if calm(a0, k) and calm(a1, k):
            interpolate(a0, a1)
            anchors.pop(0)
            forget_before(a1)
        else:  # fast: the held frames are detected, `main` detects every frame again
            run_refine(a0, a1)
            run_refine(a1, i)
            dense, anchors = True, []
            forget_before(i)
    if not dense and anchors:
        if last != anchors[-1]:  # the last frame is always detected: nothing is extrapolated
            hist[last] = (buf[last][0], detect(main, last))
            out[last] = hist[last]
            anchors.append(last)
        for p, (a0, a1) in enumerate(zip(anchors[:-1], anchors[1:], strict=True)):
            if calm(a0, k, after=a1) and (a1 == last or calm(a1, k, before=a0, after=anchors[p + 2])):
                interpolate(a0, a1)
            else:
                run_refine(a0, a1)
    if last < 0:
        return [], {}
    return [out[i] for i in sorted(out)], {"pose_detect_every": k, "pose_detector_runs": runs[0],
                                           "pose_frames_refined": len(refined), "pose_frames_filled": len(filled)}


#: fewest analysed frames in a segment read by its own detector (see `segment_count`)
MIN_SEGMENT_FRAMES = 60


#: a part's detections are kept from where they agree with the previous part's detector
#: carried on across the cut for `STITCH_AGREE_FRAMES` frames in a row: median landmark
#: distance below this fraction of the longer image side (or nobody found by either)
STITCH_PX_PER_SIDE = 0.005
STITCH_AGREE_FRAMES = 3


def _stitch(part: list, det, frames, tol_px: float, back: np.ndarray) -> int:
    """Carry the previous part's detector (`det`, its tracking state at the cut) on over the
    frames of `part` until both agree for `STITCH_AGREE_FRAMES` frames, replacing the part's
    detections up to there: a part that started on another person or lost the worker is
    redone in order, as one detector would have done. Returns the frames redone."""
    streak = n = 0
    for k, (_t, frame_rgb) in enumerate(frames):
        if k >= len(part):
            break
        d = det.detect(frame_rgb)
        mine, theirs = d.xy_px * back, part[k][1].xy_px * back
        both_none = not np.isfinite(mine).any() and not np.isfinite(theirs).any()
        dist = np.linalg.norm(mine - theirs, axis=1)
        agree = both_none or (np.isfinite(dist).any() and float(np.nanmedian(dist)) < tol_px)
        part[k] = (part[k][0], d)
        n = k + 1
        streak = streak + 1 if agree else 0
        if streak >= STITCH_AGREE_FRAMES:
            break
    frames.close()
    return n


def segment_count(n_frames: int, workers: int | None = None) -> int:
    """How many consecutive parts of a video are detected in parallel, each by its own
    MediaPipe graph: as many as `workers` (default: half the cores this process may use, at
    most 4 - one MediaPipe graph with its reader thread keeps about 1.3 cores busy, so on 2
    cores parts cost CPU and gain no wall time, docs/pose.md), but each part at least
    `MIN_SEGMENT_FRAMES` analysed frames, since each part starts without the tracking and
    smoothing history of the frames before it.

    Parameters
    ----------
    n_frames : int
        Frames to analyse.
    workers : int, optional
        Parts wanted at most (1: one detector for the whole video).

    Returns
    -------
    int
        Number of parts (>= 1).

    Examples
    --------
    >>> segment_count(100, 2), segment_count(119, 2), segment_count(120, 2), segment_count(54000, 2)
    (1, 1, 2, 2)
    """
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        workers = min(4, cores // 2)
    return int(max(1, min(workers, n_frames // MIN_SEGMENT_FRAMES)))


def detect_video(path: str | os.PathLike, detector: PoseDetector | None = None, *, rotate_deg: int | None = None,
                 max_frames: int | None = None, stride: int = 1, camera: str = "",
                 progress: Callable[[int, int], None] | None = None,
                 max_side_px: int | None = None, workers: int | None = None, detect_every: int = 1,
                 fill_tolerance: float = 0.02) -> Keypoints2D:
    """Run a detector over every `stride`-th frame of a video, streaming the frames.

    Frames are decoded (and shrunk to `max_side_px` when asked) and converted to RGB by a
    reader thread while the detector works on the previous one; only the keypoints are
    kept, so memory grows by about 1.6 kB per analysed frame, not by the frame size.

    With the default detector and 4 or more cores the video is cut into consecutive parts
    (`segment_count`: half the usable cores, at most 4, each at least `MIN_SEGMENT_FRAMES`
    analysed frames) detected at the same time, one MediaPipe graph each. A part starts without the
    tracking history of the frames before it and may pick another person or a wrong spot,
    so at each cut the previous part's detector is carried on until both agree for
    `STITCH_AGREE_FRAMES` frames in a row, and the part's detections up to there are
    replaced (``meta["pose_frames_redone"]`` counts them): the result is, within the
    agreement tolerance, that of one detector over the whole video.

    Parameters
    ----------
    path : video file.
    detector : PoseDetector, optional
        Defaults to a new `MediaPipePoseDetector` (closed afterwards).
    rotate_deg : int, optional
        Override the file's rotation tag (0/90/180/270).
    max_frames, stride : int
        Process at most `max_frames` frames, keeping every `stride`-th one.
    camera : str
        View name stored in the result (defaults to the file stem).
    progress : callable(done, total), optional
        Called after each frame.
    max_side_px : int, optional
        Shrink the frames so their longest side is at most this (px) before detection;
        pixels are given back in the video's own size. None (default): the full frame.
        MediaPipe places the landmarks on a 256 px crop of the person, so a person smaller
        than that after shrinking loses precision (cost measured in docs/pose.md).
    workers : int, optional
        With the default detector, split the video into at most this many consecutive parts
        detected in parallel (`segment_count`; default: half the usable cores, at most 4; 1:
        one detector in order). A detector given by the caller always sees the whole video in order.
    detect_every : int
        With the default detector, run it on every n-th analysed frame only and fill the
        frames between by linear interpolation where the motion allows it, detecting them
        too where it does not (`_detect_filling`; 1: detect every analysed frame). A detector
        given by the caller detects every analysed frame.
    fill_tolerance : float
        Largest estimated interpolation error allowed where frames are filled, as a fraction
        of the body size (image and world landmarks; 0.02 = 2 cm on a 1 m body diagonal).

    Returns
    -------
    Keypoints2D
        Pixels in the rotation-corrected image, confidence, and world landmarks when the
        detector gives them (NaN in frames without a detection).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "empty_room.avi"
    >>> w = cv2.VideoWriter(str(p), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (64, 48))
    >>> for _ in range(3): _ = w.write(np.zeros((48, 64, 3), np.uint8))
    >>> w.release()
    >>> kp = detect_video(p)
    >>> kp.n_frames, kp.skeleton, kp.detected_fraction()
    (3, 'mediapipe33', 0.0)
    """
    info = probe_video(path, rotate_deg)
    own = detector is None
    if not own and not isinstance(detector, PoseDetector):
        raise ModelError(f"{type(detector).__name__} is not a PoseDetector (needs skeleton, detect(), close())")
    skeleton = MediaPipePoseDetector.skeleton if own else detector.skeleton
    k = len(get_skeleton(skeleton).points)
    stop = None if max_frames is None else max_frames * stride
    n_video = info.n_frames if stop is None else min(stop, info.n_frames)
    total = max(1, -(-n_video // stride))
    every = max(1, int(detect_every)) if own else 1
    n_seg = segment_count(total, workers if own and every == 1 else 1)
    # segment j reads frames [bounds[j], bounds[j + 1]); starts on a multiple of the stride
    bounds = [stride * (total * j // n_seg) for j in range(n_seg)] + [stop]
    size = scaled_size(info.width_px, info.height_px, max_side_px)
    back = np.array([info.width_px / size[0], info.height_px / size[1]])  # detector px -> video px
    lock = threading.Lock()
    done = [0]
    failed = threading.Event()

    def run_segment(j: int, det) -> list[tuple[float, FrameDetection]]:
        out = []
        try:
            for t, frame_rgb in _read_ahead(path, info, stride, max_side_px, bounds[j], bounds[j + 1]):
                if failed.is_set():
                    break
                out.append((t, det.detect(frame_rgb)))
                if progress is not None:
                    with lock:
                        done[0] += 1
                        progress(done[0], max(total, done[0]))
        except BaseException:
            failed.set()
            raise
        return out

    redone: list[int] = []
    dets: list = []
    fill = {}

    def count() -> None:
        if progress is not None:
            done[0] += 1
            progress(min(done[0], total), total)

    with filtered_native_stderr():  # MediaPipe's C++ log lines stay off the terminal (LIFTRISK_VERBOSE=1 shows them)
        try:
            dets = [MediaPipePoseDetector() for _ in range(2 if every > 1 else n_seg)] if own else [detector]
            if every > 1:
                found, fill = _detect_filling(
                    _read_ahead(path, info, stride, max_side_px, 0, stop, depth=4, rgb=lambda i: i % every == 0),
                    dets[0], dets[1], every, fill_tolerance, count)
                parts = [found]
            elif n_seg == 1:
                parts = [run_segment(0, dets[0])]
            else:  # one MediaPipe graph per part: each runs in its own native thread, the cores share them
                from concurrent.futures import ThreadPoolExecutor

                with ThreadPoolExecutor(n_seg, thread_name_prefix="liftrisk-pose") as pool:
                    futures = [pool.submit(run_segment, j, dets[j]) for j in range(n_seg)]
                    parts = [f.result() for f in futures]
                redone = [_stitch(parts[j], dets[j - 1], _read_ahead(path, info, stride, max_side_px, bounds[j],
                                                                      bounds[j + 1]),
                                  STITCH_PX_PER_SIDE * max(info.width_px, info.height_px), back)
                          for j in range(1, n_seg)]
        finally:
            if own:
                for d in dets:
                    d.close()
    found = [x for part in parts for x in part]
    if not found:
        raise DataQualityError(f"{path}: no frames were read")
    times = np.array([t for t, _ in found])
    xy = np.stack([d.xy_px * back for _, d in found])
    conf = np.stack([d.confidence for _, d in found])
    world = np.stack([np.full((k, 3), np.nan) if d.world_m is None else d.world_m for _, d in found])
    return Keypoints2D(times, xy, conf, get_skeleton(skeleton).points, skeleton, (info.width_px, info.height_px),
                       None if np.isnan(world).all() else world, camera or os.path.splitext(os.path.basename(path))[0],
                       str(path), {"rotation_deg": info.rotation_deg, "video_rate_hz": info.rate_hz,
                                   "pose_segments": n_seg, "pose_frames_redone": redone, **fill})


def detect_videos(paths, detector: PoseDetector | None = None, *, rotate_deg: int | None = None,
                  max_frames: int | None = None, rate_hz: float = 0.0, max_side_px: int | None = None,
                  detect_every: int = 1, fill_tolerance: float = 0.02,
                  progress: Callable[[str, int, int], None] | None = None) -> list[Keypoints2D]:
    """`detect_video` over each video in turn, at most `rate_hz` frames per second analysed
    (`liftrisk.pose.video.video_stride`; 0: every frame): the pose stage of
    `liftrisk.pipeline.assess_video`, which the CLI starts before it imports the analysis.

    Parameters
    ----------
    paths : sequence of path
        The videos.
    detector : PoseDetector, optional
        Defaults to MediaPipe (one per video).
    rotate_deg, max_frames, max_side_px, detect_every, fill_tolerance
        As `detect_video`.
    rate_hz : float
        Analysis rate limit, Hz (0: every frame).
    progress : callable(stage, done, total), optional
        Called with stage ``"pose <file name>"``.

    Returns
    -------
    list of Keypoints2D
        One per video, in order.
    """
    out = []
    for p in paths:
        def cb(done, total, _name=os.path.basename(p)):
            if progress is not None:
                progress(f"pose {_name}", done, total)
        stride = video_stride(probe_video(p, rotate_deg).rate_hz, rate_hz)
        out.append(detect_video(p, detector, rotate_deg=rotate_deg, max_frames=max_frames, stride=stride,
                                progress=cb, max_side_px=max_side_px, detect_every=detect_every,
                                fill_tolerance=fill_tolerance))
    return out
