"""Shared helpers of the readers and writers: path checks, frames, units, plausibility.

Frames: Y-up files are turned into liftrisk's Z-up world frame with
`liftrisk.core.frames.Y_UP_TO_Z_UP` (defined there, with the frame convention).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from liftrisk.core.frames import Y_UP_TO_Z_UP
from liftrisk.errors import DataQualityError, InputFileError, UnitsError

FRAMES = ("y_up", "z_up")

#: Length units understood in file headers -> metres per unit.
LENGTH_UNITS = {"m": 1.0, "meters": 1.0, "metres": 1.0, "meter": 1.0, "metre": 1.0,
                "mm": 1e-3, "millimeters": 1e-3, "millimetres": 1e-3,
                "cm": 1e-2, "centimeters": 1e-2, "centimetres": 1e-2}

# Plausible per-frame extent of a human body (largest distance between the points of one
# frame along one axis), in m. A person is 1-2.3 m tall; with arms raised or a long stride the
# extent stays below ~3 m. Marker sets on one body never span more than ~20 m; keypoints on a
# body never span less than ~2 cm. Outside these bounds the unit is wrong.
MAX_BODY_EXTENT_M = 20.0
MIN_BODY_EXTENT_M = 0.02


def check_readable(path) -> Path:
    """Return `path` as a Path after checking that it exists, is a file and is not empty."""
    p = Path(path)
    if not p.exists():
        raise InputFileError(p, "file not found", fix="check the path and the working directory")
    if p.is_dir():
        raise InputFileError(p, "is a folder, not a file", fix="give a file path")
    if p.stat().st_size == 0:
        raise InputFileError(p, "the file is empty (0 bytes)", fix="export the recording again")
    return p


def check_writable(path, overwrite: bool) -> Path:
    """Return `path` as a Path; refuse to replace an existing file unless `overwrite`."""
    p = Path(path)
    if p.exists() and not overwrite:
        raise InputFileError(p, "the file already exists and was left unchanged",
                             fix="choose another output path or pass overwrite=True")
    if p.parent and not p.parent.exists():
        raise InputFileError(p, f"the folder {p.parent} does not exist", fix="create it first")
    return p


def atomic_write_text(path: Path, text: str) -> None:
    """Write text to a temporary file next to `path`, then move it in place."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def length_scale(unit: str, path, field: str = "Units") -> float:
    """Metres per file unit for a declared length unit ("mm", "m", "cm")."""
    key = str(unit).strip().lower()
    if key not in LENGTH_UNITS:
        raise UnitsError(f"{path} [{field}]: unknown length unit {unit!r}; expected one of mm, cm, m. "
                         "Fix: correct the unit in the file header or pass units= explicitly")
    return LENGTH_UNITS[key]


def check_frame(frame: str) -> str:
    """Validate a frame name ("y_up" or "z_up")."""
    f = str(frame).strip().lower().replace("-", "_")
    if f not in FRAMES:
        raise DataQualityError(f"frame is {frame!r}; expected 'y_up' (OpenSim/TRC convention) or 'z_up'")
    return f


def to_z_up(xyz: np.ndarray, frame: str) -> np.ndarray:
    """Express (..., 3) vectors given in `frame` in liftrisk's Z-up frame."""
    xyz = np.asarray(xyz, float)
    return xyz @ Y_UP_TO_Z_UP.T if check_frame(frame) == "y_up" else xyz.copy()


def from_z_up(xyz: np.ndarray, frame: str) -> np.ndarray:
    """Express (..., 3) vectors given in liftrisk's Z-up frame in `frame`."""
    xyz = np.asarray(xyz, float)
    return xyz @ Y_UP_TO_Z_UP if check_frame(frame) == "y_up" else xyz.copy()


def median_body_extent_m(positions_m: np.ndarray) -> float:
    """Median over frames of the largest per-axis spread of the points of one frame, m.

    NaN when fewer than two points are ever present together.
    """
    p = np.asarray(positions_m, float)
    if p.ndim != 3 or p.shape[1] < 2:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(p, axis=1) - np.nanmin(p, axis=1)  # (T, 3)
        extent = np.nanmax(spread, axis=1)
        good = extent[np.isfinite(extent) & (extent > 0)]
    return float(np.median(good)) if good.size else float("nan")


def check_positions(positions_m: np.ndarray, path, declared_unit: str, field: str = "positions",
                    names=None) -> None:
    """Raise clear errors for NaN-only data and for lengths that are in the wrong unit.

    Parameters
    ----------
    positions_m : array (T, K, 3)
        Positions already converted to m with the declared unit.
    path : str or Path
        The file, for messages.
    declared_unit : str
        The unit the file declared (for the message).
    """
    p = np.asarray(positions_m, float)
    if p.size == 0 or not np.isfinite(p).any():
        raise DataQualityError(f"{path} [{field}]: every point is missing (NaN) in every frame; "
                               "expected at least one measured point. Fix: check the export "
                               "(gap filling, labelling) or choose another trial")
    extent = median_body_extent_m(p)
    if not np.isfinite(extent):
        return
    if extent > MAX_BODY_EXTENT_M:
        factor = extent / 1.8
        raise UnitsError(
            f"{path} [{field}]: the unit is declared {declared_unit!r} but the points of one frame span "
            f"{extent:.4g} m (about {factor:.0f} times a body height); the values look like millimetres. "
            "Fix: set the unit to 'mm' in the file header (TRC: Units) or pass units='mm'")
    if extent < MIN_BODY_EXTENT_M:
        raise UnitsError(
            f"{path} [{field}]: the unit is declared {declared_unit!r} but the points of one frame span "
            f"only {extent * 1000:.3g} mm; the values look like metres. "
            "Fix: set the unit to 'm' in the file header (TRC: Units) or pass units='m'")


def regular_time(t: np.ndarray) -> np.ndarray:
    """Uniform times when the given times are a rounded uniform grid, else `t` unchanged.

    Files often round times (0.0017 s for 1/600 s); a median of the rounded steps gives a
    wrong rate (588 Hz). When every time lies within a quarter step of the uniform grid
    from the first to the last time, that grid is returned.
    """
    t = np.asarray(t, float)
    if t.size < 3 or not np.all(np.isfinite(t)):
        return t
    step = (t[-1] - t[0]) / (t.size - 1)
    if step <= 0:
        return t
    grid = t[0] + np.arange(t.size) * step
    return grid if np.max(np.abs(t - grid)) < 0.25 * step else t


def vertical_axis_warning(positions_m: np.ndarray, path, frame: str) -> str:
    """A warning text when the converted data do not look Z-up, else "".

    A body's largest per-frame extent is normally vertical (standing, walking, lifting). When
    the median per-frame spread along Z is below 0.6 × the largest horizontal spread, the
    file's frame was probably not `frame`. Only a hint: crawling or lying postures trigger it.
    """
    p = np.asarray(positions_m, float)
    if p.ndim != 3 or p.shape[1] < 3:
        return ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmedian(np.nanmax(p, axis=1) - np.nanmin(p, axis=1), axis=0)
    if not np.all(np.isfinite(spread)) or spread.max() <= 0:
        return ""
    if spread[2] < 0.6 * max(spread[0], spread[1]):
        other = "z_up" if check_frame(frame) == "y_up" else "y_up"
        axis = "X" if spread[0] >= spread[1] else "Y"
        return (f"{path}: read as {frame}, the points spread {spread[2]:.2f} m vertically but "
                f"{max(spread[0], spread[1]):.2f} m along {axis}; if the body is upright the file is "
                f"probably {other}: pass frame='{other}' (CLI: --frame {other})")
    return ""


def unique_names(names, path=None) -> list[str]:
    """Make names unique by appending _2, _3, ... to repeats; empty names become point<i>."""
    out, seen = [], {}
    for i, n in enumerate(names):
        n = str(n).strip() or f"point{i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n}_{seen[n]}"
        else:
            seen[n] = 1
        out.append(n)
    return out
