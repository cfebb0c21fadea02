"""2D/3D keypoint JSON from common pose tools: OpenPose, COCO-style, MediaPipe.

Point order always comes from the skeleton registry (`liftrisk.core.skeletons`): a reader
pairs the i-th keypoint of a detector's flat array with ``skeleton.points[i]`` and nothing
else here knows any index.

Formats
-------
OpenPose
    One ``*_keypoints.json`` per frame (a folder), ``people[0].pose_keypoints_2d`` =
    [x, y, c] * 25 (BODY_25) in px; ``pose_keypoints_3d`` = [x, y, z, c] * 25 when present.
    Undetected keypoints are (0, 0, 0) and become NaN.
COCO
    A dict with ``annotations`` (ground truth: ``keypoints`` = [x, y, v] * 17, v = 0 not
    labelled) or a list of results (``image_id``, ``keypoints`` = [x, y, score] * 17,
    ``score``). Frames are ordered by ``image_id``; per image the highest-scoring person is kept.
MediaPipe (liftrisk layout of MediaPipe Pose output)
    ``{"rate_hz": 30, "image_size": [w, h], "frames": [{"time_s": 0.0, "landmarks":
    [{"x", "y", "z", "visibility"}] * 33, "world_landmarks": [...]}]}``; ``landmarks`` are
    normalised image coordinates (x, y in [0, 1]), ``world_landmarks`` are metres in
    MediaPipe's hip-centred camera-aligned frame (x to the image right, y down, z away
    from the camera).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import BODY25, COCO17, HALPE26, MEDIAPIPE33, Skeleton, get_skeleton
from liftrisk.errors import DataQualityError, InputFileError, UnknownFormatError
from liftrisk.io._common import check_positions, check_readable

# Detector layouts a flat keypoint array can be matched to by its length.
_DETECTOR_SKELETONS = (BODY25, HALPE26, COCO17, MEDIAPIPE33)

#: MediaPipe world frame (x image-right, y down, z away from camera) -> liftrisk frame for a
#: worker facing the camera: X forward = -z, Y left = +x (the worker's left is image right),
#: Z up = -y. A proper rotation (det = +1).
MEDIAPIPE_WORLD_TO_Z_UP = np.array([[0.0, 0.0, -1.0],
                                    [1.0, 0.0, 0.0],
                                    [0.0, -1.0, 0.0]])


def _camera_name(path) -> str:
    """View name of a keypoint file (file stem) or OpenPose folder (folder name)."""
    p = Path(path)
    return p.name if p.is_dir() else p.stem


def _skeleton_for(n_points: int, skeleton, path) -> Skeleton:
    if skeleton is not None:
        sk = get_skeleton(skeleton) if isinstance(skeleton, str) else skeleton
        if len(sk.points) != n_points:
            raise InputFileError(path, f"the keypoint arrays hold {n_points} points but skeleton {sk.name!r} has "
                                       f"{len(sk.points)}", fix="pass the skeleton the detector used")
        return sk
    matches = [s for s in _DETECTOR_SKELETONS if len(s.points) == n_points]
    if len(matches) != 1:
        raise InputFileError(path, f"{n_points} keypoints per person match no registered detector layout "
                                   f"({', '.join(f'{s.name}={len(s.points)}' for s in _DETECTOR_SKELETONS)})",
                             fix="pass skeleton= with a registered layout, or convert the file")
    return matches[0]


def _need_rate(rate_hz, path) -> float:
    if rate_hz is None or not float(rate_hz) > 0:
        raise InputFileError(path, "the file has no frame rate", fix="pass rate_hz= (the video's frame rate)")
    return float(rate_hz)


def _load_json(path):
    p = check_readable(path)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(p, f"not valid JSON ({exc})", fix="check that the file is complete") from None


def _split(flat, dims: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(flat, float).reshape(n, dims + 1)
    xyz, c = a[:, :dims].copy(), a[:, dims].copy()
    missing = (c <= 0) | np.all(xyz == 0, axis=1)
    xyz[missing] = np.nan
    c[missing] = 0.0
    return xyz, c


def _openpose_files(path) -> list[Path]:
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.json"))
        if not files:
            raise InputFileError(p, "the folder has no .json files", fix="give the OpenPose --write_json folder")
        return files
    return [check_readable(p)]


def read_openpose_json(path, rate_hz: float | None = None, skeleton=None, person: int = 0):
    """Read OpenPose per-frame JSON (a folder of ``*_keypoints.json`` or one file).

    Parameters
    ----------
    path : str or Path
        Folder written by ``--write_json`` (files sorted by name = frame order) or one file.
    rate_hz : float
        Video frame rate (OpenPose files carry none).
    skeleton : str, optional
        Registry layout (default: matched by the number of keypoints, BODY_25 for 25).
    person : int
        Which entry of ``people`` to read (0 = the first, as OpenPose lists them).

    Returns
    -------
    Keypoints2D, or Motion when the files hold ``pose_keypoints_3d`` (m as given by
    OpenPose's 3D module in its calibration frame; ``file_frame`` is recorded as "camera").

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> kp = [0.0] * 75; kp[3:6] = [320.0, 100.0, 0.9]  # BODY25 point 1 is "Neck"
    >>> _ = (d / "v_000000000000_keypoints.json").write_text(json.dumps({"people": [{"pose_keypoints_2d": kp}]}))
    >>> k = read_openpose_json(d, rate_hz=30)
    >>> k["Neck"][0].tolist(), k.skeleton
    ([320.0, 100.0], 'body25')
    """
    files = _openpose_files(path)
    rate = _need_rate(rate_hz, path)
    frames2d, frames3d = [], []
    for f in files:
        doc = _load_json(f)
        people = doc.get("people", []) if isinstance(doc, dict) else None
        if people is None:
            raise UnknownFormatError(f, "no 'people' list; not an OpenPose keypoint file")
        pers = people[person] if len(people) > person else {}
        frames2d.append(pers.get("pose_keypoints_2d") or None)
        frames3d.append(pers.get("pose_keypoints_3d") or None)
    n2 = next((len(a) // 3 for a in frames2d if a), 0)
    n3 = next((len(a) // 4 for a in frames3d if a), 0)
    if not n2 and not n3:
        raise DataQualityError(f"{path}: no person detected in any of the {len(files)} frames; "
                               "check the video or the detector settings")
    t = np.arange(len(files)) / rate
    if n3:
        sk = _skeleton_for(n3, skeleton, path)
        pos = np.full((len(files), n3, 3), np.nan)
        conf = np.zeros((len(files), n3))
        for i, a in enumerate(frames3d):
            if a:
                pos[i], conf[i] = _split(a, 3, n3)
        check_positions(pos, path, "m", "pose_keypoints_3d")
        return Motion(time_s=t, positions_m=pos, point_names=sk.points, rate_hz=rate, confidence=conf,
                      source=str(path), meta={"format": "openpose_json", "skeleton": sk.name,
                                              "file_units": "m", "file_frame": "camera"})
    sk = _skeleton_for(n2, skeleton, path)
    xy = np.full((len(files), n2, 2), np.nan)
    conf = np.zeros((len(files), n2))
    for i, a in enumerate(frames2d):
        if a:
            xy[i], conf[i] = _split(a, 2, n2)
    return Keypoints2D(time_s=t, xy_px=xy, confidence=conf, point_names=sk.points, skeleton=sk.name,
                       camera=_camera_name(path), source=str(path), meta={"format": "openpose_json"})


def read_coco_json(path, rate_hz: float | None = None, skeleton=None) -> Keypoints2D:
    """Read COCO-style keypoints (ground-truth ``annotations`` or a results list).

    Frames are the distinct ``image_id`` values in increasing order; per frame the person
    with the highest ``score`` (results) or largest ``area`` / most labelled points
    (annotations) is kept.

    Parameters
    ----------
    path : str or os.PathLike
        COCO JSON file.
    rate_hz : float, optional
        Frame rate (Hz) of the image sequence.
    skeleton : str or Skeleton, optional
        Point layout (default COCO 17).

    Returns
    -------
    Keypoints2D
        Keypoints (px) and confidences (0-1).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> kp = [0.0] * 51; kp[15:18] = [200.0, 150.0, 0.8]  # COCO17 point 5 is "left_shoulder"
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "res.json"
    >>> _ = f.write_text(json.dumps([{"image_id": 7, "category_id": 1, "keypoints": kp, "score": 0.9}]))
    >>> read_coco_json(f, rate_hz=25)["left_shoulder"][0].tolist()
    [200.0, 150.0]
    """
    doc = _load_json(path)
    rate = _need_rate(rate_hz, path)
    if isinstance(doc, dict) and "annotations" in doc:
        anns, is_results = doc["annotations"], False
    elif isinstance(doc, list):
        anns, is_results = doc, True
    else:
        raise UnknownFormatError(path, "neither a COCO dict with 'annotations' nor a results list")
    anns = [a for a in anns if isinstance(a, dict) and a.get("keypoints")]
    if not anns:
        raise DataQualityError(f"{path}: no person with keypoints in the file; check the detector output")
    n = len(anns[0]["keypoints"]) // 3
    sk = _skeleton_for(n, skeleton, path)
    best: dict = {}
    for a in anns:
        kp = np.asarray(a["keypoints"], float).reshape(-1, 3)
        key = a.get("score", 0.0) if is_results else (a.get("area", 0.0), int((kp[:, 2] > 0).sum()))
        img = a.get("image_id", 0)
        if img not in best or key > best[img][0]:
            best[img] = (key, kp)
    ids = sorted(best)
    xy = np.full((len(ids), n, 2), np.nan)
    conf = np.zeros((len(ids), n))
    for i, img in enumerate(ids):
        kp = best[img][1]
        c = kp[:, 2] if is_results else (kp[:, 2] > 0).astype(float)
        ok = c > 0
        xy[i, ok] = kp[ok, :2]
        conf[i] = np.where(ok, np.clip(c, 0, 1), 0.0)
    return Keypoints2D(time_s=np.arange(len(ids)) / rate, xy_px=xy, confidence=conf, point_names=sk.points,
                       skeleton=sk.name, camera=_camera_name(path), source=str(path),
                       meta={"format": "coco_json", "image_ids": ids})


def _mediapipe_doc(path, rate_hz=None):
    doc = _load_json(path)
    if not isinstance(doc, dict) or "frames" not in doc:
        raise UnknownFormatError(path, "no 'frames' list; not a liftrisk MediaPipe JSON",
                                 fix="see docs/io.md for the MediaPipe JSON layout")
    frames = doc["frames"]
    if not frames:
        raise InputFileError(path, "the file has no frames", field="frames")
    rate = doc.get("rate_hz")
    t = np.array([f.get("time_s", np.nan) for f in frames], float)
    if not np.all(np.isfinite(t)) or (t.size > 1 and np.any(np.diff(t) <= 0)):
        # no (or non-increasing) per-frame times: frame index / rate
        t = np.arange(len(frames)) / _need_rate(rate_hz or rate, path)
    return doc, frames, t, rate


def _landmarks(frames, key: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    xyz = np.full((len(frames), n, 3), np.nan)
    vis = np.zeros((len(frames), n))
    for i, f in enumerate(frames):
        lms = f.get(key) or []
        if len(lms) == n:
            xyz[i] = [[lm.get("x", np.nan), lm.get("y", np.nan), lm.get("z", np.nan)] for lm in lms]
            vis[i] = [lm.get("visibility", 1.0) for lm in lms]
    return xyz, vis


def read_mediapipe_json(path, rate_hz: float | None = None) -> Keypoints2D:
    """Read MediaPipe Pose image landmarks (liftrisk MediaPipe JSON layout) as pixels.

    Normalised coordinates are multiplied by ``image_size`` [width, height] (px); without
    it they stay normalised (``meta["normalised"] = True``). When the frames also hold
    ``world_landmarks`` they are kept as ``world_m`` in MediaPipe's own camera-aligned frame
    (x image-right, y down, z away from the camera, m), as `liftrisk.pose.lift_monocular`
    expects.

    Parameters
    ----------
    path : str or Path
        The JSON file.
    rate_hz : float, optional
        Frame rate, Hz; needed only when the file has neither per-frame ``time_s`` nor ``rate_hz``.

    Returns
    -------
    Keypoints2D
        Pixel coordinates (T, 33, 2) in the MediaPipe 33 layout.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> lms = [{"x": 0.5, "y": 0.25, "z": 0.0, "visibility": 0.9}] * 33
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mp.json"
    >>> _ = f.write_text(json.dumps({"rate_hz": 30, "image_size": [640, 480], "frames": [{"landmarks": lms}]}))
    >>> read_mediapipe_json(f)["nose"][0].tolist()
    [320.0, 120.0]
    """
    doc, frames, t, _ = _mediapipe_doc(path, rate_hz)
    n = len(MEDIAPIPE33.points)
    xyz, vis = _landmarks(frames, "landmarks", n)
    size = doc.get("image_size")
    xy = xyz[:, :, :2] * (np.asarray(size, float) if size else 1.0)
    world = None
    if any(f.get("world_landmarks") for f in frames):
        world, _ = _landmarks(frames, "world_landmarks", n)
        check_positions(world, path, "m", "world_landmarks")
    return Keypoints2D(time_s=t, xy_px=xy, confidence=np.where(np.isfinite(xy[:, :, 0]), vis, 0.0),
                       point_names=MEDIAPIPE33.points, skeleton=MEDIAPIPE33.name,
                       image_size_px=tuple(size) if size else None, world_m=world, camera=_camera_name(path),
                       source=str(path), meta={"format": "mediapipe_json", "normalised": not size})


def read_mediapipe_world_json(path, rate_hz: float | None = None) -> Motion:
    """Read MediaPipe Pose world landmarks (m) as a Motion in liftrisk's frame.

    The camera-aligned MediaPipe frame is rotated with `MEDIAPIPE_WORLD_TO_Z_UP`, which
    assumes the worker faces the camera and the camera is level (recorded in ``meta``).

    Parameters
    ----------
    path : str or os.PathLike
        JSON file of MediaPipe world landmarks (m).
    rate_hz : float, optional
        Frame rate (Hz) when the file does not give it.

    Returns
    -------
    Motion
        MediaPipe's 33 points (m, liftrisk's Z-up frame).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> lms = [{"x": 0.1 * (i % 2), "y": -0.5, "z": 0.0} for i in range(33)]
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mp.json"
    >>> _ = f.write_text(json.dumps({"rate_hz": 30, "frames": [{"world_landmarks": lms}]}))
    >>> read_mediapipe_world_json(f)["nose"][0].tolist()  # y = -0.5 (up in MediaPipe) -> z = +0.5
    [0.0, 0.0, 0.5]
    """
    doc, frames, t, rate = _mediapipe_doc(path, rate_hz)
    n = len(MEDIAPIPE33.points)
    xyz, vis = _landmarks(frames, "world_landmarks", n)
    pos = xyz @ MEDIAPIPE_WORLD_TO_Z_UP.T
    check_positions(pos, path, "m", "world_landmarks")
    return Motion(time_s=t, positions_m=pos, point_names=MEDIAPIPE33.points, rate_hz=float(rate_hz or rate or 0.0),
                  confidence=np.where(np.isfinite(pos[:, :, 0]), vis, 0.0), source=str(path),
                  meta={"format": "mediapipe_json", "skeleton": MEDIAPIPE33.name, "file_units": "m",
                        "file_frame": "mediapipe_world (assumed: worker facing a level camera)"})


def read_keypoints_json(path, rate_hz: float | None = None, skeleton=None):
    """Read 2D keypoints from any supported JSON (OpenPose folder/file, COCO, MediaPipe).

    Parameters
    ----------
    path : str or os.PathLike
        JSON file or OpenPose folder.
    rate_hz : float, optional
        Frame rate (Hz) when the file does not give it.
    skeleton : str or Skeleton, optional
        Point layout (default: from the file).

    Returns
    -------
    Keypoints2D or Motion
        Keypoints (px) and confidences (0-1) of the file's layout; a Motion (m) for OpenPose
        files that hold ``pose_keypoints_3d``.

    Examples
    --------
    >>> read_keypoints_json("missing.json", rate_hz=30)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    liftrisk.errors.InputFileError: missing.json: file not found...
    """
    p = Path(path)
    if p.is_dir():
        return read_openpose_json(p, rate_hz, skeleton)
    doc = _load_json(p)
    if isinstance(doc, dict) and "people" in doc:
        return read_openpose_json(p, rate_hz, skeleton)
    if isinstance(doc, dict) and "frames" in doc:
        return read_mediapipe_json(p, rate_hz)
    if (isinstance(doc, dict) and "annotations" in doc) or isinstance(doc, list):
        return read_coco_json(p, rate_hz, skeleton)
    raise UnknownFormatError(p, "JSON with none of 'people' (OpenPose), 'annotations'/list (COCO) or "
                                "'frames' (MediaPipe)", fix="see docs/io.md for the supported keypoint JSON")
