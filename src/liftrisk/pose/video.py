"""Video reading with OpenCV: clear errors for missing, corrupt or empty files, phone
rotation (portrait) handling, any codec OpenCV's FFmpeg backend decodes (H.264, VP9 with
an audio track, ...).

Rotation: phones store a rotation tag instead of rotating pixels. OpenCV's automatic
rotation is switched off and the tag (``CAP_PROP_ORIENTATION_META``, degrees) is applied
here, so the behaviour is the same on every OpenCV build; ``rotate_deg`` overrides it
(0, 90, 180 or 270, clockwise as displayed).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from liftrisk.errors import InputFileError

_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class VideoInfo:
    """What a video holds (after rotation).

    Attributes
    ----------
    path : str
        The video file.
    width_px, height_px : int
        Displayed frame size (px).
    rate_hz : float
        Frames per second (Hz).
    n_frames : int
        Frame count from the container (may be approximate).
    rotation_deg : int
        Clockwise rotation applied to the decoded pixels (deg).
    """

    path: str
    width_px: int
    height_px: int
    rate_hz: float
    n_frames: int
    rotation_deg: int

    @property
    def duration_s(self) -> float:
        """Approximate duration, s."""
        return self.n_frames / self.rate_hz if self.rate_hz > 0 else 0.0


def _open(path: Path) -> cv2.VideoCapture:
    if not path.exists():
        raise InputFileError(path, "video file not found", fix="check the path and the file name")
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a video", fix="give one video file per view")
    if path.stat().st_size == 0:
        raise InputFileError(path, "the file is empty (0 bytes)", fix="copy the video again from the camera")
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        raise InputFileError(path, "OpenCV cannot open this file as a video (corrupt, not a video, or an "
                             "unsupported codec)", fix="re-export it as MP4 (H.264) or check that the copy is complete")
    if hasattr(cv2, "CAP_PROP_ORIENTATION_AUTO"):
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
    return cap


def _rotation(cap: cv2.VideoCapture, rotate_deg: int | None, path: Path) -> int:
    if rotate_deg is None:
        meta = cap.get(cv2.CAP_PROP_ORIENTATION_META) if hasattr(cv2, "CAP_PROP_ORIENTATION_META") else 0.0
        rotate_deg = int(round(meta)) % 360 if np.isfinite(meta) else 0
    rotate_deg = int(rotate_deg) % 360
    if rotate_deg not in (0, 90, 180, 270):
        raise InputFileError(path, f"rotation {rotate_deg} deg is not a multiple of 90", field="rotate_deg",
                             fix="use 0, 90, 180 or 270")
    return rotate_deg


def probe_video(path: str | os.PathLike, rotate_deg: int | None = None) -> VideoInfo:
    """Size, rate and length of a video; raises InputFileError if unreadable.

    The first frame is decoded to make sure the file really holds video.

    Parameters
    ----------
    path : str or os.PathLike
        Video file.
    rotate_deg : int, optional
        Clockwise rotation (0, 90, 180, 270 deg); default from the file's metadata.

    Returns
    -------
    VideoInfo
        Size (px), rate (Hz), frame count and rotation.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "v.avi"
    >>> w = cv2.VideoWriter(str(p), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, (64, 48))
    >>> for _ in range(3): _ = w.write(np.zeros((48, 64, 3), np.uint8))
    >>> w.release()
    >>> info = probe_video(p, rotate_deg=90)
    >>> (info.width_px, info.height_px, info.rate_hz, info.n_frames)
    (48, 64, 25.0, 3)
    """
    p = Path(path)
    cap = _open(p)
    try:
        ok, frame = cap.read()
        if not ok or frame is None:
            raise InputFileError(p, "no frame could be decoded (empty or corrupt video)",
                                 fix="check that the recording is complete and plays in a media player")
        rot = _rotation(cap, rotate_deg, p)
        h, w = frame.shape[:2]
        if rot in (90, 270):
            w, h = h, w
        rate = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not np.isfinite(rate) or rate <= 0 or rate > 1000:
            raise InputFileError(p, f"the frame rate in the file is {rate}", fix="re-export with a constant frame rate")
        n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        return VideoInfo(str(p), int(w), int(h), rate, max(n, 1), rot)
    finally:
        cap.release()


def video_stride(video_rate_hz: float, max_rate_hz: float | None) -> int:
    """Keep every n-th frame so that at most `max_rate_hz` frames per second are analysed:
    n = ceil(video rate / max rate) (None or 0: every frame).

    Parameters
    ----------
    video_rate_hz : float
        The video's frame rate (Hz).
    max_rate_hz : float or None
        Analysis rate wanted (Hz).

    Returns
    -------
    int
        The stride n >= 1.

    Examples
    --------
    >>> video_stride(30.0, 30.0), video_stride(60.0, 30.0), video_stride(30.0, 15.0), video_stride(25.0, 15.0)
    (1, 2, 2, 2)
    >>> video_stride(30.0, 10.0), video_stride(59.94, 30.0), video_stride(30.0, 0)
    (3, 2, 1)
    """
    if not max_rate_hz or max_rate_hz <= 0 or video_rate_hz <= max_rate_hz:
        return 1
    return max(1, math.ceil(video_rate_hz / max_rate_hz - 1e-3))


def scaled_size(width_px: int, height_px: int, max_side_px: int | None) -> tuple[int, int]:
    """Frame size (width, height) with the longer side at most `max_side_px` (aspect kept;
    None or 0: unchanged).

    Parameters
    ----------
    width_px, height_px : int
        Frame size (px).
    max_side_px : int or None
        Longest side wanted (px).

    Returns
    -------
    (int, int)
        Width and height (px).

    Examples
    --------
    >>> scaled_size(1920, 1080, 960), scaled_size(640, 480, 960), scaled_size(1080, 1920, 0)
    ((960, 540), (640, 480), (1080, 1920))
    """
    side = max(width_px, height_px)
    if not max_side_px or side <= max_side_px:
        return int(width_px), int(height_px)
    s = max_side_px / side
    return max(1, int(round(width_px * s))), max(1, int(round(height_px * s)))


def iter_frames(path: str | os.PathLike, rotate_deg: int | None = None, max_frames: int | None = None,
                stride: int = 1, *, max_side_px: int | None = None, info: VideoInfo | None = None,
                start: int = 0, stop: int | None = None) -> Iterator[tuple[int, float, np.ndarray]]:
    """Yield ``(frame_index, time_s, frame_bgr)`` for the frames of a video, one at a time
    (memory does not grow with the video's length).

    Time is ``index / rate`` (constant frame rate assumed, as phone videos are resampled
    by the encoder). `stride` keeps every n-th frame (the others are decoded by FFmpeg, as
    inter-coded frames need them, but not converted); `max_frames` stops early.
    `max_side_px` shrinks each kept frame (bilinear, after rotation) so its longer side is at
    most that many pixels: a pose detector that works on a 256 px crop gains nothing from
    4K pixels, and the smaller frame is cheaper to convert and copy.

    Parameters
    ----------
    path : str or os.PathLike
        Video file.
    rotate_deg : int, optional
        Clockwise rotation (deg); default from the file's metadata.
    max_frames : int, optional
        Stop after this many frames.
    stride : int
        Keep every n-th frame.
    max_side_px : int, optional
        Longest side of the frames yielded (px); None: the video's size.
    info : VideoInfo, optional
        The video's `probe_video` result when the caller has it (saves opening it again).
    start, stop : int
        Frame indices to read from (seeking there) and to stop before (None: the end); the
        frames kept are still those whose index is a multiple of `stride`.

    Yields
    ------
    (int, float, numpy.ndarray)
        Frame index, time (s) and the BGR image.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "v.avi"
    >>> w = cv2.VideoWriter(str(p), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (32, 24))
    >>> for _ in range(5): _ = w.write(np.zeros((24, 32, 3), np.uint8))
    >>> w.release()
    >>> [(i, t) for i, t, _ in iter_frames(p, stride=2)]
    [(0, 0.0), (2, 0.2), (4, 0.4)]
    """
    p = Path(path)
    info = info if info is not None else probe_video(p, rotate_deg)
    size = scaled_size(info.width_px, info.height_px, max_side_px)
    resize = size != (info.width_px, info.height_px)
    cap = _open(p)
    try:
        i = kept = 0
        if start > 0:
            cap.set(cv2.CAP_PROP_POS_FRAMES, start)
            i = int(round(cap.get(cv2.CAP_PROP_POS_FRAMES)))
            if i != start:
                raise InputFileError(p, f"cannot seek to frame {start} (got {i})",
                                     fix="re-export the video (MP4, H.264) so that it can be read in parts")
        while (max_frames is None or kept < max_frames) and (stop is None or i < stop):
            ok = cap.grab()
            if not ok:
                break
            if i % stride == 0:
                ok, frame = cap.retrieve()
                if not ok or frame is None:
                    break
                if info.rotation_deg:
                    frame = cv2.rotate(frame, _ROTATE[info.rotation_deg])
                if resize:
                    frame = cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
                yield i, i / info.rate_hz, frame
                kept += 1
            i += 1
        if i == 0 and start == 0:
            raise InputFileError(p, "no frame could be decoded", fix="check that the video plays in a media player")
    finally:
        cap.release()


def read_frames(path: str | os.PathLike, indices, rotate_deg: int | None = None) -> dict[int, np.ndarray]:
    """Decode a few frames by index (for key-frame images in reports): index -> BGR array.

    Seeks to each frame (OpenCV/FFmpeg seek to the previous key frame and decode forward),
    so a report does not decode the whole video again.

    Parameters
    ----------
    path : str or os.PathLike
        Video file.
    indices : iterable of int
        Frame indices.
    rotate_deg : int, optional
        Clockwise rotation (deg); default from the file's metadata.

    Returns
    -------
    dict
        Frame index -> BGR image (numpy.ndarray).
    """
    want = sorted({int(i) for i in indices})
    out: dict[int, np.ndarray] = {}
    if not want:
        return out
    p = Path(path)
    info = probe_video(p, rotate_deg)
    cap = _open(p)
    try:
        for i in want:
            cap.set(cv2.CAP_PROP_POS_FRAMES, i)
            ok, frame = cap.read()
            if not ok or frame is None:
                continue
            if info.rotation_deg:
                frame = cv2.rotate(frame, _ROTATE[info.rotation_deg])
            out[i] = frame
    finally:
        cap.release()
    return out
