"""TRC marker files (OpenSim / Motion Analysis track row column format): read and write.

Layout (tab separated)::

    PathFileType  4  (X/Y/Z)  walk.trc
    DataRate  CameraRate  NumFrames  NumMarkers  Units  OrigDataRate  OrigDataStartFrame  OrigNumFrames
    60.00     60.00       151        41          mm     60.00         1                   151
    Frame#  Time  R.ASIS        L.ASIS ...
                  X1  Y1  Z1    X2  Y2  Z2 ...
    1       0.000 617.2 1055.3 170.8 ...

An empty field is a missing marker (NaN). TRC files from OpenSim and Pose2Sim are Y-up
(X forward, Y up, Z right); the reader converts to liftrisk's Z-up frame and to metres.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from liftrisk.core.motion import Motion
from liftrisk.errors import InputFileError
from liftrisk.io._common import (
    atomic_write_text,
    check_frame,
    check_positions,
    check_readable,
    check_writable,
    from_z_up,
    length_scale,
    to_z_up,
    unique_names,
    vertical_axis_warning,
)

_HEADER_LINES = 5


def read_trc(path, frame: str = "y_up", units: str | None = None) -> Motion:
    """Read a TRC marker file into a Motion (m, liftrisk Z-up frame).

    Parameters
    ----------
    path : str or Path
        The .trc file.
    frame : {"y_up", "z_up"}
        Frame of the file's coordinates. OpenSim and Pose2Sim TRC files are Y-up (default);
        pass "z_up" for files already in a Z-up lab frame.
    units : str, optional
        Override the unit declared in the header ("mm", "cm" or "m").

    Returns
    -------
    Motion
        Marker trajectories in m, Z up, X forward, Y left; ``meta`` records the file's
        unit (``file_units``), frame (``file_frame``) and header fields.

    Raises
    ------
    InputFileError
        Missing, empty or malformed file, or no data rows.
    UnitsError
        Values that do not match the declared unit (e.g. mm declared as m).
    DataQualityError
        Every marker missing in every frame.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from liftrisk.core import Motion
    >>> m = Motion.from_points({"a": np.zeros((3, 3)), "b": np.ones((3, 3))}, rate_hz=60.0)
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.trc"
    >>> write_trc(m, f)
    >>> read_trc(f)["b"][0].round(3).tolist()
    [1.0, 1.0, 1.0]
    """
    p = check_readable(path)
    frame = check_frame(frame)
    with open(p, encoding="utf-8", errors="replace") as fh:
        head = [fh.readline() for _ in range(_HEADER_LINES)]
    if not head[0].startswith("PathFileType") or len(head) < _HEADER_LINES:
        raise InputFileError(p, "not a TRC file (the first line does not start with 'PathFileType')",
                             fix="export the markers as TRC, or give a .c3d/.csv file")
    keys = head[1].rstrip("\r\n").split("\t")
    vals = head[2].rstrip("\r\n").split("\t")
    header = {k.strip(): v.strip() for k, v in zip(keys, vals, strict=False) if k.strip()}
    names = [n.strip() for n in head[3].rstrip("\r\n").split("\t")[2:] if n.strip()]
    if not names:
        raise InputFileError(p, "no marker names on line 4", field="line 4",
                             fix="the 4th line must be 'Frame#<TAB>Time<TAB>name1<TAB><TAB><TAB>name2 ...'")
    n_markers = int(float(header.get("NumMarkers", len(names)) or len(names)))
    if n_markers != len(names):
        raise InputFileError(p, f"the header says NumMarkers={n_markers} but line 4 names {len(names)} markers",
                             field="NumMarkers", fix="correct NumMarkers or the marker name line")
    unit = units if units is not None else header.get("Units", "")
    if not unit:
        raise InputFileError(p, "no Units in the header", field="Units", fix="pass units='mm' or units='m'")
    scale = length_scale(unit, p, "Units")
    ncol = 2 + 3 * len(names)
    try:
        df = pd.read_csv(p, sep="\t", header=None, skiprows=_HEADER_LINES, names=list(range(ncol + 8)),
                         skip_blank_lines=True, dtype=float, engine="python")
    except ValueError as exc:
        raise InputFileError(p, f"the data rows are not numbers ({exc})",
                             fix="check that the file is tab separated and uses '.' as decimal point") from None
    df = df.iloc[:, :ncol].dropna(how="all")
    if df.empty:
        raise InputFileError(p, "the file has a header but no frames", fix="export the trial again")
    data = df.to_numpy(float)
    frames_col, t = data[:, 0], data[:, 1]
    rate = float(header.get("DataRate", "nan") or "nan")
    if np.isfinite(rate) and rate > 0 and np.all(np.isfinite(frames_col)):
        t_rate = t[0] + (frames_col - frames_col[0]) / rate
        if np.all(np.isfinite(t)) and np.max(np.abs(t - t_rate)) < 0.5 / rate:
            t = t_rate  # the file's times are rounded (e.g. 0.017 for 1/60 s)
    elif not np.all(np.isfinite(t)):
        raise InputFileError(p, "the Time column has empty values and no DataRate is given", field="Time")
    pos = data[:, 2:].reshape(len(data), len(names), 3) * scale
    pos = to_z_up(pos, frame)
    check_positions(pos, p, unit, "marker coordinates")
    meta = {"file_units": unit, "file_frame": frame, "format": "trc",
            "trc_header": dict(header)}
    hint = vertical_axis_warning(pos, p, frame)
    if hint:
        warnings.warn(hint, UserWarning, stacklevel=2)
        meta["frame_warning"] = hint
    return Motion(time_s=t, positions_m=pos, point_names=tuple(unique_names(names)),
                  rate_hz=rate if np.isfinite(rate) and rate > 0 else 0.0, source=str(p), meta=meta)


def write_trc(motion: Motion, path, units: str = "mm", frame: str = "y_up", overwrite: bool = False,
              decimals: int = 6) -> None:
    """Write a Motion as a TRC file (never replaces an existing file unless `overwrite`).

    Parameters
    ----------
    motion : Motion
        Points in m, liftrisk Z-up frame.
    path : str or Path
        Output .trc file.
    units : {"mm", "m"}
        Unit written in the file (and in the Units header field).
    frame : {"y_up", "z_up"}
        Frame of the written coordinates; "y_up" (default) is what OpenSim expects.
    overwrite : bool
        Replace an existing file.
    decimals : int
        Decimals written for coordinates.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from liftrisk.core import Motion
    >>> m = Motion.from_points({"a": np.zeros((2, 3))}, rate_hz=100.0)
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.trc"
    >>> write_trc(m, f, units="m")
    >>> f.read_text().splitlines()[2].split("\\t")[4]
    'm'
    """
    p = check_writable(path, overwrite)
    scale = 1.0 / length_scale(units, p, "units")
    pos = from_z_up(motion.positions_m, frame) * scale
    n, k = motion.n_frames, motion.n_points
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{Path(p).name}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
        f"{motion.rate_hz:.6g}\t{motion.rate_hz:.6g}\t{n}\t{k}\t{units}\t{motion.rate_hz:.6g}\t1\t{n}",
        "Frame#\tTime\t" + "\t".join(f"{name}\t\t" for name in motion.point_names),
        "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, k + 1)),
        "",
    ]
    flat = pos.reshape(n, 3 * k)
    txt = np.char.mod(f"%.{decimals}f", flat)
    txt = np.where(np.isfinite(flat), txt, "")
    for i in range(n):  # formatting only; the numbers were converted vectorised above
        lines.append(f"{i + 1}\t{motion.time_s[i]:.6f}\t" + "\t".join(txt[i]))
    atomic_write_text(p, "\n".join(lines) + "\n")
