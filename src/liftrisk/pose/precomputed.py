"""Precomputed 2D keypoints: the detector-free backend.

Formats read and written:

* liftrisk JSON (``*.json``): ``{"format": "liftrisk-keypoints-2d", "skeleton", "camera",
  "image_size_px": [w, h], "point_names", "time_s", "xy_px" (T x K x 2), "confidence"
  (T x K), optional "world_m" (T x K x 3)}``; NaN is written as null.
* liftrisk CSV (``*.csv``): ``# key=value`` header lines (skeleton, camera,
  image_width_px, image_height_px), then columns ``time_s`` and, per point,
  ``<name>_x_px, <name>_y_px, <name>_conf``.
* Anything `liftrisk.io.read_keypoints_json` reads (OpenPose/Pose2Sim per-frame JSON
  folder, COCO results, liftrisk's MediaPipe JSON layout, whose world landmarks are kept
  in MediaPipe's own camera-aligned frame for `liftrisk.pose.lift_monocular`).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from pathlib import Path

import numpy as np

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.errors import InputFileError, UnknownFormatError
from liftrisk.io.keypoints_json import read_keypoints_json

FORMAT_TAG = "liftrisk-keypoints-2d"


def _nan_to_none(a: np.ndarray):
    return np.where(np.isfinite(a), a, None).tolist()


def write_keypoints(kp: Keypoints2D, path: str | os.PathLike) -> Path:
    """Write keypoints as liftrisk JSON or CSV (by extension); returns the path.

    Parameters
    ----------
    kp : Keypoints2D
        Keypoints (px), confidences and, if any, world landmarks (m).
    path : str or os.PathLike
        ``.json`` or ``.csv`` output file.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> k = Keypoints2D(np.array([0.0, 0.1]), np.ones((2, 1, 2)), np.ones((2, 1)), ("nose",), "coco17", (64, 48))
    >>> p = write_keypoints(k, pathlib.Path(tempfile.mkdtemp()) / "k.csv")
    >>> read_keypoints(p).xy_px.shape
    (2, 1, 2)
    """
    p = Path(path)
    if p.suffix.lower() == ".json":
        doc = {"format": FORMAT_TAG, "version": 1, "skeleton": kp.skeleton, "camera": kp.camera,
               "image_size_px": list(kp.image_size_px), "point_names": list(kp.point_names),
               "time_s": kp.time_s.tolist(), "xy_px": _nan_to_none(kp.xy_px),
               "confidence": kp.confidence.tolist()}
        if kp.world_m is not None:
            doc["world_m"] = _nan_to_none(kp.world_m)
        p.write_text(json.dumps(doc))
    elif p.suffix.lower() == ".csv":
        with p.open("w", newline="") as f:
            f.write(f"# skeleton={kp.skeleton}\n# camera={kp.camera}\n"
                    f"# image_width_px={kp.image_size_px[0]}\n# image_height_px={kp.image_size_px[1]}\n")
            w = csv.writer(f)
            w.writerow(["time_s"] + [f"{n}_{c}" for n in kp.point_names for c in ("x_px", "y_px", "conf")])
            arr = np.concatenate([kp.xy_px, kp.confidence[..., None]], axis=2).reshape(kp.n_frames, -1)
            for t, row in zip(kp.time_s, arr, strict=True):
                w.writerow([repr(float(t))] + ["" if not np.isfinite(v) else repr(float(v)) for v in row])
    else:
        raise UnknownFormatError(p, "keypoints can be written as .json or .csv", fix="use one of these extensions")
    return p


def read_keypoints(path: str | os.PathLike, skeleton: str | None = None, rate_hz: float | None = None,
                   image_size_px: tuple[int, int] | None = None) -> Keypoints2D:
    """Read precomputed 2D keypoints (liftrisk JSON/CSV or an OpenPose JSON folder).

    Parameters
    ----------
    path : str or os.PathLike
        liftrisk JSON/CSV file or OpenPose JSON folder.
    skeleton : str, optional
        Point layout (default: from the file or detected).
    rate_hz : float, optional
        Frame rate (Hz) when the file does not give it.
    image_size_px : (int, int), optional
        Image width and height (px) when the file does not give it.

    Returns
    -------
    Keypoints2D
        The keypoints (px).
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError(p, "keypoint file not found", fix="check the path")
    if p.is_dir():
        return _from_io(p, skeleton, rate_hz, image_size_px)
    if p.suffix.lower() == ".json":
        try:
            doc = json.loads(p.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputFileError(p, f"not valid JSON ({exc})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT_TAG:
            return _from_io(p, skeleton, rate_hz, image_size_px)
        try:
            xy = np.array(doc["xy_px"], dtype=float)
            world = np.array(doc["world_m"], dtype=float) if doc.get("world_m") is not None else None
            return Keypoints2D(np.array(doc["time_s"], float), xy, np.array(doc["confidence"], float),
                               tuple(doc["point_names"]), doc["skeleton"], tuple(doc["image_size_px"]), world,
                               doc.get("camera", p.stem), str(p))
        except KeyError as exc:
            raise InputFileError(p, f"missing field {exc}", field=str(exc)) from None
    if p.suffix.lower() == ".csv":
        return _read_csv(p, skeleton, image_size_px)
    raise UnknownFormatError(p, "not a keypoint file (.json, .csv or an OpenPose JSON folder)")


def _read_csv(p: Path, skeleton, image_size_px) -> Keypoints2D:
    meta = {}
    with p.open() as f:
        lines = f.read().splitlines()
    body = []
    for ln in lines:
        if ln.startswith("#"):
            k, _, v = ln[1:].strip().partition("=")
            meta[k.strip()] = v.strip()
        elif ln.strip():
            body.append(ln)
    if len(body) < 2:
        raise InputFileError(p, "no keypoint rows", fix="the CSV needs a header row and one row per frame")
    rows = list(csv.reader(body))
    head = rows[0]
    if head[0] != "time_s" or (len(head) - 1) % 3:
        raise InputFileError(p, f"header starts {head[:4]}", field="header",
                             fix="columns: time_s, then <name>_x_px, <name>_y_px, <name>_conf per point")
    names = tuple(h[: -len("_x_px")] for h in head[1::3])
    data = np.array([[float(v) if v not in ("", "nan", "NaN") else np.nan for v in r] for r in rows[1:]])
    sk = skeleton or meta.get("skeleton")
    if not sk:
        raise InputFileError(p, "skeleton not stated", fix="add a '# skeleton=<name>' line or pass skeleton=")
    size = image_size_px or (int(meta.get("image_width_px", 0)), int(meta.get("image_height_px", 0)))
    vals = data[:, 1:].reshape(len(data), len(names), 3)
    return Keypoints2D(data[:, 0], vals[..., :2], np.nan_to_num(vals[..., 2]), names, sk, size,
                       camera=meta.get("camera", p.stem), source=str(p))


def _from_io(p: Path, skeleton, rate_hz, image_size_px) -> Keypoints2D:
    """Keypoints of a file `liftrisk.io` reads (OpenPose, COCO, MediaPipe JSON), image size overridden if given."""
    kp = read_keypoints_json(p, rate_hz=rate_hz, skeleton=skeleton)
    return dataclasses.replace(kp, image_size_px=image_size_px) if image_size_px else kp
