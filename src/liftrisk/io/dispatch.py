"""`read_motion`: one entry point that picks the reader from the file's extension and content;
the one list of the recording file kinds liftrisk takes (`VIDEO_SUFFIXES`, `MOTION_SUFFIXES`)."""

from __future__ import annotations

import os
from pathlib import Path

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.motion import Motion
from liftrisk.errors import UnknownFormatError
from liftrisk.io._common import check_readable
from liftrisk.io.c3d import read_c3d
from liftrisk.io.csv_formats import read_keypoints_csv
from liftrisk.io.keypoints_json import read_keypoints_json, read_mediapipe_world_json
from liftrisk.io.trc import read_trc

MOTION_FORMATS = {".trc": "TRC markers", ".c3d": "C3D", ".csv": "keypoint CSV", ".json": "keypoint JSON"}
#: Suffixes of the motion files `read_motion` reads (lower case).
MOTION_SUFFIXES = tuple(MOTION_FORMATS)
#: Video containers assessed by pose estimation (lower case): what phones (MP4, MOV, 3GP),
#: webcams and screen recorders (WebM, MKV), older cameras (AVI, MPEG-PS) write; OpenCV's
#: FFmpeg backend decodes all of them.
VIDEO_SUFFIXES = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".3gp")


def is_video(path: str | os.PathLike) -> bool:
    """True when the file name has a video extension (`VIDEO_SUFFIXES`, any case).

    Parameters
    ----------
    path : str or os.PathLike
        File name.

    Returns
    -------
    bool
        Whether its suffix is a video suffix.

    Examples
    --------
    >>> is_video("lift.MOV"), is_video("lift.trc")
    (True, False)
    """
    return Path(path).suffix.lower() in VIDEO_SUFFIXES


def detect_format(path) -> str:
    """Name of the format of `path`: "trc", "c3d", "keypoints_csv", "imu_csv", "mot", "json" or "openpose_dir".

    Parameters
    ----------
    path : str or os.PathLike
        File or folder.

    Returns
    -------
    str
        The format name; an unknown format raises ``UnknownFormatError``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = f.write_text("time_s,neck_x_m,neck_y_m,neck_z_m\\n0,0,0,1\\n")
    >>> detect_format(f)
    'keypoints_csv'
    """
    p = Path(path)
    if p.is_dir():
        if any(p.glob("*.json")):
            return "openpose_dir"
        raise UnknownFormatError(p, "a folder without .json files", fix="give a motion file (.trc, .c3d, .csv)")
    p = check_readable(p)
    ext = p.suffix.lower()
    with open(p, "rb") as fh:
        head = fh.read(4096)
    text = head.decode("utf-8", errors="replace")
    if ext == ".c3d" or (len(head) > 1 and head[1] == 0x50 and ext not in (".trc", ".csv", ".json")):
        return "c3d"
    if ext == ".trc" or text.startswith("PathFileType"):
        return "trc"
    if ext in (".mot", ".sto") or "endheader" in text.lower():
        return "mot"
    if ext == ".json" or text.lstrip().startswith(("{", "[")):
        return "json"
    if ext in (".csv", ".txt"):
        first = text.splitlines()[0] if text.splitlines() else ""
        if "_acc_" in first or "_gyr_" in first:
            return "imu_csv"
        if "time_s" in first:
            return "keypoints_csv"
    raise UnknownFormatError(p, f"unknown format (extension {ext or 'none'!r})",
                             fix="give a .trc, .c3d, keypoint .csv or keypoint .json file")


def read_motion(path, **kw) -> Motion:
    """Read point trajectories from any supported file into a Motion (m, Z-up world frame).

    Parameters
    ----------
    path : str or Path
        .trc, .c3d, keypoint .csv, MediaPipe/OpenPose 3D .json, or an OpenPose JSON folder
        with 3D keypoints.
    **kw
        Passed to the reader (``frame=``, ``units=`` for TRC; ``frame=`` for C3D;
        ``rate_hz=`` for JSON).

    Returns
    -------
    Motion
        Point trajectories (m, Z-up world frame).

    Raises
    ------
    UnknownFormatError
        The file is not a motion file (with the reader to use when it is another liftrisk format).
    InputFileError, UnitsError, DataQualityError
        As raised by the reader.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from liftrisk.io import write_keypoints_csv
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
    >>> write_keypoints_csv(Motion.from_points({"neck": np.ones((2, 3)), "l5s1": np.zeros((2, 3))}, rate_hz=30), f)
    >>> read_motion(f).n_points
    2
    """
    fmt = detect_format(path)
    if fmt == "trc":
        return read_trc(path, **kw)
    if fmt == "c3d":
        return read_c3d(path, **kw).motion
    if fmt == "keypoints_csv":
        return read_keypoints_csv(path, **kw)
    if fmt in ("json", "openpose_dir"):
        import json

        if fmt == "json":
            try:
                doc = json.loads(Path(path).read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                doc = None
            if isinstance(doc, dict) and "frames" in doc:
                return read_mediapipe_world_json(path, **kw)
        out = read_keypoints_json(path, **kw)
        if isinstance(out, Keypoints2D):
            raise UnknownFormatError(path, "holds 2D image keypoints only, not 3D point trajectories",
                                     fix="read it with liftrisk.io.read_keypoints_json and lift it to 3D with "
                                         "liftrisk.pose, or give a 3D file")
        return out
    if fmt == "mot":
        raise UnknownFormatError(path, "is an OpenSim table (joint coordinates or forces), not point trajectories",
                                 fix="use liftrisk.io.read_mot / read_opensim_grf, or give the .trc markers")
    raise UnknownFormatError(path, "is IMU data, not point trajectories",
                             fix="use liftrisk.io.read_imu_csv, or give a .trc/.c3d/keypoint file")
