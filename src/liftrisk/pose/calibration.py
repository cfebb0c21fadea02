"""Pinhole camera models and calibration file I/O (Pose2Sim TOML, Qualisys QCA XML).

Convention (OpenCV): a world point X (m) maps to camera coordinates ``Xc = R @ X + t``
(``R`` world->camera rotation, ``t`` in m, camera frame x right, y down, z along the
optical axis), then to normalised image coordinates ``(x, y) = Xc[:2] / Xc[2]``, then
through the Brown-Conrady distortion (k1, k2, p1, p2, k3; OpenCV order) and the
intrinsic matrix ``K`` (px) to pixels. The camera centre in the world is ``-R.T @ t``.

File formats
------------
* Pose2Sim / Sports2D TOML: one table per camera with ``size`` [w, h] px, ``matrix`` (K),
  ``distortions`` [k1, k2, p1, p2], ``rotation`` (Rodrigues vector, world->camera),
  ``translation`` (m, camera frame), ``fisheye`` (Pagnon et al. 2022, Pose2Sim).
* Qualisys QCA XML (``*.qca.txt``): ``transform`` holds the camera *position* in the
  lab frame in **mm** (x, y, z) and a rotation matrix r11..r33 whose rows are the
  Qualisys camera axes; the Qualisys camera looks along its -z with y up, so the OpenCV
  rotation is ``diag(1, -1, -1) @ Rq`` and ``t = -R @ position``. Intrinsics
  (focalLengthU/V, centerPointU/V) are in Qualisys sub-pixel units of **1/64 px**;
  the principal point is relative to the sensor, so ``fov_video`` left/top is
  subtracted. The distortion coefficients are already dimensionless (normalised image
  coordinates) and are used as they are. This reproduces the rotation and translation of
  Pose2Sim's own conversion exactly (tested); Pose2Sim also divides the distortion by 64,
  which we do not (see docs/pose.md: the undivided values reproject better).

Examples
--------
>>> import numpy as np
>>> cam = Camera("c", (640, 480), np.array([[500., 0, 320], [0, 500, 240], [0, 0, 1]]),
...              np.zeros(5), np.eye(3), np.array([0., 0., 2.]))
>>> cam.project(np.array([[0.0, 0.0, 0.0]])).round(1).tolist()
[[320.0, 240.0]]
"""

from __future__ import annotations

import os
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from liftrisk.errors import DataQualityError, InputFileError, UnknownFormatError

# Qualisys stores focal length and principal point in 1/64 pixel (QTM manual, "QCA file").
QUALISYS_SUBPIXELS_PER_PX = 64.0


def rodrigues_to_matrix(rvec) -> np.ndarray:
    """Rotation matrix (3, 3) from a Rodrigues rotation vector (rad).

    Parameters
    ----------
    rvec : array_like
        (3,) rotation vector: axis times angle (rad).

    Returns
    -------
    numpy.ndarray
        (3, 3) rotation matrix.

    Examples
    --------
    >>> rodrigues_to_matrix([0.0, 0.0, np.pi / 2]).round(6).tolist()[0]
    [0.0, -1.0, 0.0]
    """
    r = np.asarray(rvec, float).reshape(3)
    theta = float(np.linalg.norm(r))
    if theta < 1e-12:
        return np.eye(3)
    k = r / theta
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(theta) * kx + (1 - np.cos(theta)) * kx @ kx


def matrix_to_rodrigues(rot) -> np.ndarray:
    """Rodrigues vector (3,) of a rotation matrix (inverse of `rodrigues_to_matrix`).

    Parameters
    ----------
    rot : array_like
        (3, 3) rotation matrix.

    Returns
    -------
    numpy.ndarray
        (3,) rotation vector (rad).

    Examples
    --------
    >>> matrix_to_rodrigues(rodrigues_to_matrix([0.1, -0.2, 0.3])).round(6).tolist()
    [0.1, -0.2, 0.3]
    """
    r = np.asarray(rot, float)
    cos_t = np.clip((np.trace(r) - 1) / 2, -1.0, 1.0)
    theta = float(np.arccos(cos_t))
    if theta < 1e-12:
        return np.zeros(3)
    if np.pi - theta < 1e-6:  # near 180 deg: axis from the symmetric part
        b = (r + np.eye(3)) / 2
        axis = b[:, int(np.argmax(np.diag(b)))]
        axis = axis / np.linalg.norm(axis)
        return axis * theta
    w = np.array([r[2, 1] - r[1, 2], r[0, 2] - r[2, 0], r[1, 0] - r[0, 1]]) / (2 * np.sin(theta))
    return w * theta


@dataclass(frozen=True, eq=False)
class Camera:
    """One calibrated pinhole camera (OpenCV convention, SI units).

    Parameters
    ----------
    name : str
        Camera name (matched to video names in multi-view runs).
    image_size_px : (int, int)
        Width and height of the calibrated image, px.
    matrix : array (3, 3)
        Intrinsic matrix K, px.
    distortion : array (4,) or (5,)
        k1, k2, p1, p2[, k3] (OpenCV order, dimensionless).
    rotation : array (3, 3)
        World -> camera rotation R.
    translation_m : array (3,)
        World -> camera translation t, m (camera frame).
    """

    name: str
    image_size_px: tuple
    matrix: np.ndarray
    distortion: np.ndarray
    rotation: np.ndarray
    translation_m: np.ndarray

    def __post_init__(self) -> None:
        k = np.array(self.matrix, float)
        d = np.zeros(5)
        dist = np.array(self.distortion, float).reshape(-1)
        if dist.size not in (0, 4, 5):
            raise DataQualityError(f"camera {self.name!r}: {dist.size} distortion coefficients; expected "
                                   "4 (k1 k2 p1 p2) or 5 (k1 k2 p1 p2 k3)")
        d[:dist.size] = dist
        r = np.array(self.rotation, float)
        if r.shape == (3,):
            r = rodrigues_to_matrix(r)
        t = np.array(self.translation_m, float).reshape(3)
        if k.shape != (3, 3) or r.shape != (3, 3):
            raise DataQualityError(f"camera {self.name!r}: K {k.shape} and R {r.shape}; expected (3, 3) each")
        if not np.allclose(r @ r.T, np.eye(3), atol=1e-5) or np.linalg.det(r) < 0:
            raise DataQualityError(f"camera {self.name!r}: the rotation is not a proper rotation matrix")
        if k[0, 0] <= 0 or k[1, 1] <= 0:
            raise DataQualityError(f"camera {self.name!r}: focal lengths {k[0, 0]}, {k[1, 1]} px; expected > 0")
        for nm, a in (("matrix", k), ("distortion", d), ("rotation", r), ("translation_m", t)):
            a.setflags(write=False)
            object.__setattr__(self, nm, a)
        object.__setattr__(self, "image_size_px", (int(self.image_size_px[0]), int(self.image_size_px[1])))

    @property
    def centre_m(self) -> np.ndarray:
        """Camera centre in the world frame, m."""
        return -self.rotation.T @ self.translation_m

    @property
    def projection_matrix(self) -> np.ndarray:
        """(3, 4) P = K [R | t] (maps world points to *undistorted* pixels)."""
        return self.matrix @ np.hstack([self.rotation, self.translation_m[:, None]])

    def to_camera(self, points_m: np.ndarray) -> np.ndarray:
        """World points (..., 3) -> camera-frame points (..., 3), m."""
        return np.asarray(points_m, float) @ self.rotation.T + self.translation_m

    def distort(self, xy_norm: np.ndarray) -> np.ndarray:
        """Apply Brown-Conrady distortion to normalised coordinates (..., 2)."""
        k1, k2, p1, p2, k3 = self.distortion
        x, y = xy_norm[..., 0], xy_norm[..., 1]
        r2 = x * x + y * y
        radial = 1 + k1 * r2 + k2 * r2 ** 2 + k3 * r2 ** 3
        xd = x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x)
        yd = y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y
        return np.stack([xd, yd], axis=-1)

    def project(self, points_m: np.ndarray, distort: bool = True) -> np.ndarray:
        """World points (..., 3) in m -> pixel coordinates (..., 2).

        Points behind the camera give NaN.
        """
        pc = self.to_camera(points_m)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(pc[..., 2] > 1e-9, pc[..., 2], np.nan)
            xy = pc[..., :2] / z[..., None]
        if distort:
            xy = self.distort(xy)
        k = self.matrix
        u = k[0, 0] * xy[..., 0] + k[0, 1] * xy[..., 1] + k[0, 2]
        v = k[1, 1] * xy[..., 1] + k[1, 2]
        return np.stack([u, v], axis=-1)

    def undistort_pixels(self, xy_px: np.ndarray, iterations: int = 8) -> np.ndarray:
        """Remove lens distortion: distorted pixels (..., 2) -> ideal pixels (..., 2).

        Fixed-point inversion of the distortion model (as OpenCV's undistortPoints);
        NaN stays NaN.
        """
        xy_px = np.asarray(xy_px, float)
        if not np.any(self.distortion):
            return xy_px.copy()
        k = self.matrix
        yn = (xy_px[..., 1] - k[1, 2]) / k[1, 1]
        xn = (xy_px[..., 0] - k[0, 2] - k[0, 1] * yn) / k[0, 0]
        target = np.stack([xn, yn], axis=-1)
        und = target.copy()
        for _ in range(iterations):
            und = und + (target - self.distort(und))
        u = k[0, 0] * und[..., 0] + k[0, 1] * und[..., 1] + k[0, 2]
        v = k[1, 1] * und[..., 1] + k[1, 2]
        return np.stack([u, v], axis=-1)


# ---------------------------------------------------------------------------- readers
def read_calibration(path: str | os.PathLike) -> list[Camera]:
    """Read a calibration file (Pose2Sim TOML or Qualisys QCA XML), chosen by content.

    Returns the cameras in file order (TOML) or serial order (QCA).

    Parameters
    ----------
    path : str or os.PathLike
        Calibration file.

    Returns
    -------
    list of Camera
        Cameras with intrinsics (px) and extrinsics (m, world frame of the calibration).
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError(p, "calibration file not found", fix="give the path of a Pose2Sim .toml or "
                             "Qualisys .qca.txt calibration")
    head = p.read_bytes()[:200].lstrip()
    if head.startswith(b"<"):
        return read_qca(p)
    if p.suffix.lower() == ".toml" or b"[" in head[:50]:
        return read_pose2sim_toml(p)
    raise UnknownFormatError(p, "not a recognised calibration format", fix="use a Pose2Sim TOML or a Qualisys QCA XML")


def read_pose2sim_toml(path: str | os.PathLike) -> list[Camera]:
    """Read a Pose2Sim/Sports2D TOML calibration (translation in m, Rodrigues rotation).

    Parameters
    ----------
    path : str or os.PathLike
        TOML calibration file.

    Returns
    -------
    list of Camera
        Cameras (translation m, rotation, intrinsics px).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.toml"
    >>> _ = f.write_text('[cam1]\\nname="cam1"\\nsize=[640.0,480.0]\\nmatrix=[[500.0,0.0,320.0],[0.0,500.0,240.0],'
    ...                  '[0.0,0.0,1.0]]\\ndistortions=[0.0,0.0,0.0,0.0]\\nrotation=[0.0,0.0,0.0]\\n'
    ...                  'translation=[0.0,0.0,3.0]\\nfisheye=false\\n')
    >>> (read_pose2sim_toml(f)[0].centre_m + 0.0).tolist()
    [0.0, 0.0, -3.0]
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(p, f"not valid TOML ({exc})", fix="export the calibration again") from None
    cams = []
    for key, tab in data.items():
        if key == "metadata" or not isinstance(tab, dict):
            continue
        missing = [f for f in ("size", "matrix", "rotation", "translation") if f not in tab]
        if missing:
            raise InputFileError(p, f"camera [{key}] lacks {', '.join(missing)}", field=key,
                                 fix="each camera table needs size, matrix, distortions, rotation, translation")
        if tab.get("fisheye", False):
            raise InputFileError(p, "fisheye cameras are not supported", field=key,
                                 fix="calibrate with the pinhole (Brown-Conrady) model")
        t = np.asarray(tab["translation"], float)
        if np.linalg.norm(t) > 200:
            raise InputFileError(p, f"translation of {key} is {np.linalg.norm(t):.0f} away; looks like mm",
                                 field="translation", fix="Pose2Sim TOML stores translations in metres")
        cams.append(Camera(str(tab.get("name", key)), tuple(tab["size"]), np.asarray(tab["matrix"], float),
                           np.asarray(tab.get("distortions", [0, 0, 0, 0]), float),
                           np.asarray(tab["rotation"], float), t))
    if not cams:
        raise InputFileError(p, "no camera tables found", fix="a Pose2Sim calibration has one [cam_N] table per camera")
    return cams


def read_qca(path: str | os.PathLike) -> list[Camera]:
    """Read a Qualisys QCA XML calibration (positions in mm, intrinsics in 1/64 px).

    See the module docstring for the axis convention. Cameras are sorted by serial.

    Parameters
    ----------
    path : str or os.PathLike
        QCA XML calibration file.

    Returns
    -------
    list of Camera
        Cameras converted to m and px.
    """
    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as exc:
        raise InputFileError(p, f"not valid XML ({exc})", fix="give the .qca.txt exported by QTM") from None
    cams = []
    for node in root.findall("cameras/camera"):
        serial = node.get("serial", f"cam{len(cams) + 1:02d}")
        tr, intr, fov = node.find("transform"), node.find("intrinsic"), node.find("fov_video")
        if tr is None or intr is None or fov is None:
            raise InputFileError(p, f"camera {serial} lacks transform, intrinsic or fov_video", field=serial)
        try:
            rq = np.array([[float(tr.get(f"r{i}{j}")) for j in (1, 2, 3)] for i in (1, 2, 3)])
            pos_m = np.array([float(tr.get(a)) for a in "xyz"]) / 1000.0  # QCA: mm
            sub = QUALISYS_SUBPIXELS_PER_PX
            left, top = float(fov.get("left")), float(fov.get("top"))
            w = float(fov.get("right")) - left + 1
            h = float(fov.get("bottom")) - top + 1
            fu, fv = float(intr.get("focalLengthU")) / sub, float(intr.get("focalLengthV")) / sub
            cu = float(intr.get("centerPointU")) / sub - left
            cv = float(intr.get("centerPointV")) / sub - top
            dist = [float(intr.get(k, 0.0)) for k in ("radialDistortion1", "radialDistortion2", "tangentalDistortion1",
                                                       "tangentalDistortion2", "radialDistortion3")]
        except (TypeError, ValueError) as exc:
            raise InputFileError(p, f"camera {serial}: missing or non-numeric attribute ({exc})",
                                 field=serial) from None
        rot = np.diag([1.0, -1.0, -1.0]) @ rq  # Qualisys camera looks along -z with y up
        k = np.array([[fu, 0.0, cu], [0.0, fv, cv], [0.0, 0.0, 1.0]])
        cams.append(Camera(serial, (int(w), int(h)), k, np.array(dist), rot, -rot @ pos_m))
    if not cams:
        raise InputFileError(p, "no <camera> elements under <cameras>", fix="give a QTM calibration export")
    return sorted(cams, key=lambda c: c.name)


# ---------------------------------------------------------------------------- videos <-> cameras
def _norm_name(name: str) -> str:
    """Camera/video name for matching: lower case without '_', '-', '.' and spaces."""
    return "".join(ch for ch in name.lower() if ch not in "_-. ")


def match_cameras(video_paths: Sequence[str | os.PathLike], cameras: Sequence[Camera],
                  camera_names: Sequence[str] | None = None, calib_label: str = "the calibration") -> list[Camera]:
    """Pair each video with the calibrated camera that filmed it.

    Rules, in order: explicit ``camera_names`` (one per video, e.g. the CLI's ``--camera``);
    else the video's file name (``cam02.mp4`` or ``cam_02_lift.mp4`` -> camera ``cam02``;
    case, ``_``, ``-`` and spaces ignored); else, only when there are as many videos as
    cameras, the calibration's camera order. A single video with a calibration of several
    cameras and no name match is an error: using the first camera silently would place the
    person with another camera's pose (27 mm and up to 19 deg of trunk flexion off on the
    Pose2Sim demo).

    Parameters
    ----------
    video_paths : sequence of path
        The videos, one per camera.
    cameras : sequence of Camera
        The calibration's cameras.
    camera_names : sequence of str, optional
        Camera name for each video, in the order of ``video_paths``.
    calib_label : str
        How to name the calibration in error messages (its file name).

    Returns
    -------
    list of Camera
        One camera per video, in the order of ``video_paths``.

    Examples
    --------
    >>> cams = [Camera(n, (640, 480), np.array([[500., 0, 320], [0, 500, 240], [0, 0, 1]]), np.zeros(5),
    ...                np.eye(3), np.array([0., 0., 2.])) for n in ("cam01", "cam02")]
    >>> [c.name for c in match_cameras(["trial/cam_02.mp4"], cams)]
    ['cam02']
    >>> [c.name for c in match_cameras(["front.mp4"], cams, camera_names=["cam01"])]
    ['cam01']
    """
    paths = [Path(p) for p in video_paths]
    cams = list(cameras)
    by_name = {_norm_name(c.name): c for c in cams}
    listed = ", ".join(c.name for c in cams)
    if camera_names is not None:
        names = list(camera_names)
        if len(names) != len(paths):
            raise DataQualityError(f"{len(paths)} video(s) but {len(names)} camera name(s) given; give one --camera "
                                   "per video, in the same order")
        out = []
        for p, n in zip(paths, names, strict=True):
            cam = by_name.get(_norm_name(n))
            if cam is None:
                raise DataQualityError(f"camera {n!r} (for {p.name}) is not in {calib_label}; it holds {listed}")
            out.append(cam)
        return out
    if len(paths) > len(cams):
        raise DataQualityError(f"{len(paths)} videos but {calib_label} has {len(cams)} camera(s) ({listed})")
    found: list[Camera | None] = []
    for p in paths:
        stem = _norm_name(p.stem)
        cam = by_name.get(stem)
        if cam is None:  # a camera name at the start or end of the file name: cam02_lift, lift_cam02
            hits = [c for k, c in by_name.items() if stem.startswith(k) or stem.endswith(k)]
            hits = [c for c in hits if not any(len(_norm_name(o.name)) > len(_norm_name(c.name)) for o in hits)]
            cam = hits[0] if len(hits) == 1 else None
        found.append(cam)
    if all(c is not None for c in found):
        if len({id(c) for c in found}) < len(found):
            raise DataQualityError(f"two videos match the same camera of {calib_label}; name them after their "
                                   f"cameras ({listed}) or give --camera for each")
        return [c for c in found if c is not None]
    if len(cams) == 1:
        return cams
    if len(paths) == len(cams) and not any(found):
        return cams  # no names to go by: the calibration's order, as documented
    missing = ", ".join(p.name for p, c in zip(paths, found, strict=True) if c is None)
    raise DataQualityError(f"{calib_label} holds {len(cams)} cameras ({listed}) and no camera name matches {missing}; "
                           "say which camera filmed each video with --camera NAME (or name the video after its camera)")


def write_pose2sim_toml(cameras: Sequence[Camera], path: str | os.PathLike) -> Path:
    """Write cameras as a Pose2Sim TOML calibration (m, Rodrigues); returns the path.

    Parameters
    ----------
    cameras : sequence of Camera
        Calibrated cameras (m, rad, px).
    path : str or os.PathLike
        Output file (replaced if it exists).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    lines = []

    def fmt(a) -> str:
        a = np.asarray(a, float)
        if a.ndim == 2:
            return "[" + ", ".join(fmt(r) for r in a) + "]"
        return "[" + ", ".join(repr(float(x)) for x in a) + "]"

    for cam in cameras:
        lines += [f"[{cam.name}]", f'name = "{cam.name}"', f"size = {fmt(cam.image_size_px)}",
                  f"matrix = {fmt(cam.matrix)}", f"distortions = {fmt(cam.distortion[:4])}",
                  f"rotation = {fmt(matrix_to_rodrigues(cam.rotation))}",
                  f"translation = {fmt(cam.translation_m)}", "fisheye = false", ""]
    lines += ["[metadata]", "adjusted = false", "error = 0.0", ""]
    p = Path(path)
    p.write_text("\n".join(lines))
    return p
