"""C3D files (points, analog channels, force platforms, events) via the ezc3d library.

Force platforms (TYPE 2: Fx, Fy, Fz, Mx, My, Mz in the plate frame; TYPE 4: the same after
the 6x6 CAL_MATRIX) are turned into ground reactions in the lab frame:

1. baseline: the mean of each channel over the FORCE_PLATFORM:ZERO frame range is
   subtracted (no correction when the range is empty, e.g. Vicon's [1, 0]);
2. ORIGIN ``o`` is the vector from the transducer origin to the centre of the working
   surface, in the plate frame, with a negative Z (C3D user guide, "TYPE-2"); a file with a
   positive ``o_z`` stored the opposite vector and ``o`` is negated (as Visual3D and ezc3d do);
3. moment about the surface centre ``M_c = M + F x o``; centre of pressure on the surface
   ``cop = (-M_c,y / F_z, M_c,x / F_z, 0)``; free moment ``T = M_c + F x cop`` (only Z is
   non-zero);
4. plate axes from the corners (C3D: corner 1 in the +x+y quadrant, 2 in -x+y, 3 in -x-y,
   4 in +x-y): ``x = c1 - c2``, ``y = c1 - c4``, ``z = x × y``; ``R = [x y z]`` (orthonormalised),
   lab = R · plate + mean(corners);
5. the force of the ground on the body points up: when the lab-frame vertical force of the
   loaded samples is negative (the file stores the force on the plate), F and T are negated.
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from liftrisk.core.loads import GroundReaction
from liftrisk.core.motion import Motion
from liftrisk.errors import InputFileError
from liftrisk.io._common import (
    check_frame,
    check_positions,
    check_readable,
    length_scale,
    to_z_up,
    unique_names,
    vertical_axis_warning,
)

# Vicon Nexus lists model outputs (not markers) in these POINT parameters.
_MODEL_OUTPUT_GROUPS = ("ANGLES", "FORCES", "MOMENTS", "POWERS", "SCALARS", "REACTIONS")


@dataclass(frozen=True, eq=False)
class C3DRecording:
    """Everything liftrisk takes from a C3D file.

    Attributes
    ----------
    motion : Motion
        Markers in m, liftrisk frame (C3D labs are usually Z-up already).
    ground_reactions : list of GroundReaction
        One per force platform, at the analog rate: force of the ground on the body (N),
        COP (m, NaN below `min_force_n`), free moment (N·m), lab frame.
    analogs : pandas.DataFrame
        Scaled analog channels (index ``time_s``), in the file's units; ``analog_units`` gives them.
    analog_units : dict
        Channel name -> unit string from ANALOG:UNITS.
    events : pandas.DataFrame
        Columns ``time_s``, ``context`` (e.g. "Left"), ``label`` (e.g. "Foot Strike").
    point_units : str
        POINT:UNITS of the file ("mm" usually).
    point_rate_hz, analog_rate_hz : float
        Sampling rates.
    subject_mass_kg, subject_height_m : float or None
        From PROCESSING:Bodymass/Height (Vicon) or SUBJECT:WEIGHT/HEIGHT when present.
    model_outputs : dict
        Vicon model outputs stored as points (angles, moments, ...), name -> (T, 3) array in
        the file's own units and frame.
    parameters : dict
        group -> parameter -> value (numpy array or list of str), as stored.
    """

    motion: Motion
    ground_reactions: list
    analogs: pd.DataFrame
    analog_units: Mapping
    events: pd.DataFrame
    point_units: str
    point_rate_hz: float
    analog_rate_hz: float
    subject_mass_kg: float | None = None
    subject_height_m: float | None = None
    model_outputs: Mapping = field(default_factory=dict)
    parameters: Mapping = field(default_factory=dict)


def _param(params: dict, group: str, name: str, default=None):
    g = params.get(group)
    if not isinstance(g, dict) or name not in g:
        return default
    v = g[name]
    return v.get("value", default) if isinstance(v, dict) else default


def _first_number(v) -> float | None:
    try:
        a = np.asarray(v, float).reshape(-1)
    except (TypeError, ValueError):
        return None
    return float(a[0]) if a.size and np.isfinite(a[0]) else None


def _moment_scale(unit: str, point_scale: float) -> float:
    """m per moment-length unit for a moment channel (N·mm -> 1e-3)."""
    u = str(unit).lower().replace(" ", "").replace(".", "").replace("*", "").replace("·", "")
    if u in ("nmm", "ntmm"):
        return 1e-3
    if u in ("nm", "ntm"):
        return 1.0
    return point_scale  # C3D: every distance is in POINT:UNITS


def _plate_frame(corners_m: np.ndarray) -> np.ndarray:
    """(3, 3) rotation whose columns are the plate axes in the lab (from the 4 corners, (4, 3))."""
    x = corners_m[0] - corners_m[1]
    y = corners_m[0] - corners_m[3]
    z = np.cross(x, y)
    y = np.cross(z, x)
    return np.column_stack([x / np.linalg.norm(x), y / np.linalg.norm(y), z / np.linalg.norm(z)])


def plate_wrench_to_lab(force_n: np.ndarray, moment_nm: np.ndarray, origin_m, corners_m):
    """Lab-frame force, centre of pressure and free moment of one TYPE-2 plate.

    Parameters
    ----------
    force_n, moment_nm : arrays (N, 3)
        Plate outputs in the plate frame (N; N·m about the transducer origin).
    origin_m : (3,)
        FORCE_PLATFORM:ORIGIN in m (sign fixed here: Z must be <= 0).
    corners_m : (4, 3)
        FORCE_PLATFORM:CORNERS in m, lab frame.

    Returns
    -------
    force_lab, cop_lab, free_moment_lab : arrays (N, 3)
        Force (N), COP (m) and free moment (N·m) in the lab frame; COP NaN where Fz = 0.

    Examples
    --------
    >>> import numpy as np
    >>> corners = np.array([[0.2, 0.3, 0], [-0.2, 0.3, 0], [-0.2, -0.3, 0], [0.2, -0.3, 0]])
    >>> f = np.array([[0.0, 0.0, 800.0]]); m = np.array([[0.0, -80.0, 0.0]])  # My = -x Fz
    >>> F, cop, T = plate_wrench_to_lab(f, m, np.zeros(3), corners)
    >>> cop.round(3).tolist()  # plate x = 0.1 m; plate axes x, -y, -z in the lab
    [[0.1, 0.0, 0.0]]
    """
    f = np.asarray(force_n, float)
    mo = np.asarray(moment_nm, float)
    o = np.asarray(origin_m, float).reshape(3)
    if o[2] > 0:
        o = -o
    corners = np.asarray(corners_m, float).reshape(4, 3)
    m_c = mo + np.cross(f, o)
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.column_stack([-m_c[:, 1] / f[:, 2], m_c[:, 0] / f[:, 2], np.zeros(len(f))])
    cop[~np.isfinite(cop).all(axis=1)] = np.nan
    t = m_c + np.cross(f, np.nan_to_num(cop))
    t[:, :2] = 0.0  # zero by construction; remove round-off
    r = _plate_frame(corners)
    centre = corners.mean(axis=0)
    return f @ r.T, cop @ r.T + centre, t @ r.T


def _processing(params: dict) -> dict[str, float]:
    """The numeric subject measurements of the PROCESSING group (Vicon: LLegLength, RKneeWidth,
    InterAsisDistance, ... in mm; Bodymass in kg), name -> first value."""
    g = params.get("PROCESSING")
    if not isinstance(g, dict):
        return {}
    out = {}
    for name in g:
        v = _first_number(_param(params, "PROCESSING", name))
        if v is not None:
            out[str(name)] = v
    return out


def _events(params: dict) -> pd.DataFrame:
    times = _param(params, "EVENT", "TIMES")
    labels = _param(params, "EVENT", "LABELS", [])
    contexts = _param(params, "EVENT", "CONTEXTS", [])
    used = _first_number(_param(params, "EVENT", "USED", [0])) or 0
    if times is None or not used:
        return pd.DataFrame({"time_s": pd.Series(dtype=float), "context": pd.Series(dtype=str),
                             "label": pd.Series(dtype=str)})
    t = np.asarray(times, float).reshape(2, -1) if np.asarray(times).ndim != 2 else np.asarray(times, float)
    n = int(used)
    secs = t[0, :n] * 60.0 + t[1, :n]  # (minutes, seconds)
    labels = list(labels)[:n] + [""] * max(0, n - len(labels))
    contexts = list(contexts)[:n] + [""] * max(0, n - len(contexts))
    df = pd.DataFrame({"time_s": secs, "context": [c.strip() for c in contexts],
                       "label": [s.strip() for s in labels]})
    return df.sort_values("time_s", ignore_index=True)


def _declared_frames(path) -> int | None:
    """Number of frames the C3D header declares (words 4-5: first and last frame; c3d.org,
    "The C3D file format", header section), read from the raw bytes because ezc3d shortens
    it to what it could read. None when it cannot be told (more than 65535 frames)."""
    with open(path, "rb") as f:
        head = f.read(512)
        if len(head) < 12:
            return None
        f.seek(512 * (head[0] - 1) + 3)  # processor type: byte 4 of the parameter section
        proc = f.read(1)
    order = ">" if proc == bytes([86]) else "<"  # 84 Intel, 85 DEC (little-endian words), 86 MIPS
    first, last = struct.unpack(order + "HH", head[6:10])
    if last == 0xFFFF or last < first:
        return None
    return last - first + 1


def read_c3d(path, frame: str = "z_up", min_force_n: float = 20.0, zero_baseline: bool = True) -> C3DRecording:
    """Read a C3D file: markers, analog channels, force platforms, events, subject data.

    Parameters
    ----------
    path : str or Path
        The .c3d file.
    frame : {"z_up", "y_up"}
        Frame of the lab (C3D labs are usually Z-up; pass "y_up" for a Y-up lab).
    min_force_n : float
        Below this vertical force (N) a plate is unloaded and its COP is NaN.
    zero_baseline : bool
        Subtract each force channel's mean over FORCE_PLATFORM:ZERO frames.

    Returns
    -------
    C3DRecording

    Examples
    --------
    >>> import ezc3d, numpy as np, tempfile, pathlib
    >>> c = ezc3d.c3d()
    >>> c["parameters"]["POINT"]["RATE"]["value"] = [100.0]
    >>> c["parameters"]["POINT"]["LABELS"]["value"] = ("HEAD", "TOE")
    >>> c["parameters"]["POINT"]["UNITS"]["value"] = ["mm"]
    >>> pts = np.ones((4, 2, 3)); pts[2, 0] = 1700.0; c["data"]["points"] = pts
    >>> f = str(pathlib.Path(tempfile.mkdtemp()) / "t.c3d"); c.write(f)
    >>> rec = read_c3d(f)
    >>> rec.motion.rate_hz, rec.motion["HEAD"][0].tolist(), rec.ground_reactions
    (100.0, [0.001, 0.001, 1.7], [])
    """
    import ezc3d

    p = check_readable(path)
    frame = check_frame(frame)
    try:
        c = ezc3d.c3d(str(p))
    except Exception as exc:  # ezc3d raises plain RuntimeError/IOError on bad files
        raise InputFileError(p, f"not a readable C3D file ({exc})",
                             fix="export the trial again as C3D, or give a .trc/.csv file") from None
    params = {g: v for g, v in c["parameters"].items() if g != "header"}
    hdr = c["header"]
    rate = float(hdr["points"]["frame_rate"])
    first = int(hdr["points"]["first_frame"])
    pts = np.asarray(c["data"]["points"], float)  # (4, K, T)
    labels = list(_param(params, "POINT", "LABELS", []))
    for extra in ("LABELS2", "LABELS3", "LABELS4"):
        labels += list(_param(params, "POINT", extra, []) or [])
    n_used = pts.shape[1]
    labels = (labels + [""] * n_used)[:n_used]
    unit = str((list(_param(params, "POINT", "UNITS", ["mm"])) or ["mm"])[0]).strip() or "mm"
    scale = length_scale(unit, p, "POINT:UNITS")
    n_frames = pts.shape[2]
    if n_frames == 0:
        raise InputFileError(p, "the file has no frames", field="POINT:FRAMES", fix="export the trial again")
    declared = _declared_frames(p)
    if declared is not None and n_frames < declared:
        raise InputFileError(p, f"the file is truncated: it holds {n_frames} of the {declared} frames its header "
                                f"declares ({100 * n_frames / declared:.0f} %)", field="header last_frame",
                             fix="copy or export the complete trial again")
    xyz = np.moveaxis(pts[:3], (0, 1, 2), (2, 1, 0))  # (T, K, 3)
    resid = c["data"].get("meta_points", {}).get("residuals")
    if resid is not None:
        xyz = np.where((np.asarray(resid)[0].T < 0)[:, :, None], np.nan, xyz)
    model_names = set()
    for g in _MODEL_OUTPUT_GROUPS:
        model_names |= {str(s).strip() for s in (_param(params, "POINT", g, []) or [])}
    labels = unique_names(labels)
    is_marker = np.array([n not in model_names for n in labels])
    model_outputs = {n: xyz[:, i].copy() for i, n in enumerate(labels) if not is_marker[i]}
    t = (first + np.arange(n_frames)) / rate
    meta = {"file_units": unit, "file_frame": frame, "format": "c3d", "processing": _processing(params)}
    if is_marker.any():
        pos = to_z_up(xyz[:, is_marker] * scale, frame)
        check_positions(pos, p, unit, "POINT data")
        hint = vertical_axis_warning(pos, p, frame)
        if hint:
            warnings.warn(hint, UserWarning, stacklevel=2)
            meta["frame_warning"] = hint
        motion = Motion(time_s=t, positions_m=pos, point_names=tuple(np.array(labels)[is_marker]),
                        rate_hz=rate, source=str(p), meta=meta)
    else:
        raise InputFileError(p, "no marker points (only model outputs or none)", field="POINT:LABELS",
                             fix="export the markers into the C3D")

    # analogs
    an = np.asarray(c["data"]["analogs"], float)  # (1, C, N)
    a_rate = float(hdr["analogs"]["frame_rate"] or 0.0)
    a_labels = unique_names((list(_param(params, "ANALOG", "LABELS", [])) + [""] * an.shape[1])[:an.shape[1]])
    a_units_list = (list(_param(params, "ANALOG", "UNITS", []) or []) + [""] * an.shape[1])[:an.shape[1]]
    a_units = {n: str(u).strip() for n, u in zip(a_labels, a_units_list, strict=True)}
    a_data = an[0].T if an.size else np.zeros((0, 0))
    if a_rate > 0 and a_data.size:
        a_t = first / rate + np.arange(a_data.shape[0]) / a_rate
        analogs = pd.DataFrame(a_data, columns=a_labels, index=pd.Index(a_t, name="time_s"))
    else:
        analogs = pd.DataFrame(index=pd.Index([], name="time_s", dtype=float))
    analogs.attrs["units"] = dict(a_units)

    grfs = _force_platforms(p, params, a_data, a_labels, a_units_list, a_rate, rate, first, scale,
                            frame, min_force_n, zero_baseline)
    mass = _first_number(_param(params, "PROCESSING", "Bodymass")) or \
        _first_number(_param(params, "SUBJECT", "WEIGHT")) or _first_number(_param(params, "SUBJECT", "MASS"))
    height = _first_number(_param(params, "PROCESSING", "Height")) or \
        _first_number(_param(params, "SUBJECT", "HEIGHT"))
    if height is not None and height > 3.0:  # mm (Vicon PROCESSING:Height) or cm
        height = height / 1000.0 if height > 300 else height / 100.0
    params_out = {g: {k: v["value"] for k, v in grp.items() if isinstance(v, dict) and "value" in v}
                  for g, grp in params.items() if isinstance(grp, dict)}
    return C3DRecording(motion=motion, ground_reactions=grfs, analogs=analogs, analog_units=a_units,
                        events=_events(params), point_units=unit, point_rate_hz=rate, analog_rate_hz=a_rate,
                        subject_mass_kg=mass if mass and mass > 0 else None,
                        subject_height_m=height if height and height > 0 else None,
                        model_outputs=model_outputs, parameters=params_out)


def _force_platforms(p, params, a_data, a_labels, a_units, a_rate, rate, first, scale, frame,
                     min_force_n, zero_baseline) -> list[GroundReaction]:
    used = int(_first_number(_param(params, "FORCE_PLATFORM", "USED", [0])) or 0)
    if used == 0 or a_data.size == 0:
        return []
    types = np.asarray(_param(params, "FORCE_PLATFORM", "TYPE", []), int).reshape(-1)
    channels = np.asarray(_param(params, "FORCE_PLATFORM", "CHANNEL", []), int)
    corners = np.asarray(_param(params, "FORCE_PLATFORM", "CORNERS", []), float)
    origins = np.asarray(_param(params, "FORCE_PLATFORM", "ORIGIN", []), float)
    cal = _param(params, "FORCE_PLATFORM", "CAL_MATRIX", None)
    zero = np.asarray(_param(params, "FORCE_PLATFORM", "ZERO", [0, 0]), int).reshape(-1)
    try:
        channels = channels.reshape(-1, used) if channels.ndim == 1 else channels
        corners = corners.reshape(3, 4, used) if corners.ndim != 3 else corners
        origins = origins.reshape(3, used) if origins.ndim != 2 else origins
    except ValueError:
        raise InputFileError(p, "FORCE_PLATFORM CHANNEL/CORNERS/ORIGIN do not match USED", field="FORCE_PLATFORM",
                             fix="check the force plate set-up of the export") from None
    ratio = a_rate / rate
    n = a_data.shape[0]
    t = first / rate + np.arange(n) / a_rate
    base = slice(0, 0)
    if zero_baseline and zero.size >= 2 and zero[1] >= zero[0] >= 1:
        base = slice(int(round((zero[0] - 1) * ratio)), int(round(zero[1] * ratio)))
    out = []
    for i in range(used):
        ptype = int(types[i]) if i < types.size else 0
        if ptype not in (2, 4):
            warnings.warn(f"{p}: force platform {i + 1} has TYPE {ptype}; only TYPE 2 and 4 are "
                          "read, this plate is skipped", stacklevel=3)
            continue
        idx = channels[:6, i] - 1
        if np.any(idx < 0) or np.any(idx >= a_data.shape[1]):
            raise InputFileError(p, f"force platform {i + 1} uses analog channels {list(idx + 1)} but the file has "
                                    f"{a_data.shape[1]}", field="FORCE_PLATFORM:CHANNEL")
        raw = a_data[:, idx].copy()
        if ptype == 4:
            cm = np.asarray(cal, float)
            if cm.size < 36 * (i + 1):
                raise InputFileError(p, f"TYPE-4 plate {i + 1} has no 6x6 CAL_MATRIX",
                                     field="FORCE_PLATFORM:CAL_MATRIX")
            # C3D stores CAL_MATRIX(6, 6, USED) column-major: cal[row, col, plate]
            m6 = cm[:, :, i] if cm.ndim == 3 else cm.reshape(6, 6, -1, order="F")[:, :, i]
            raw = raw @ m6.T
        if base.stop > base.start:
            raw = raw - raw[base].mean(axis=0)
        m_scale = np.array([_moment_scale(a_units[j] if j < len(a_units) else "", scale) for j in idx[3:]])
        f_lab, cop, tq = plate_wrench_to_lab(raw[:, :3], raw[:, 3:] * m_scale, origins[:, i] * scale,
                                            corners[:, :, i].T * scale)
        vertical = 2 if frame == "z_up" else 1
        loaded = np.abs(f_lab[:, vertical]) >= min_force_n
        if loaded.any() and np.median(f_lab[loaded, vertical]) < 0:
            f_lab, tq = -f_lab, -tq  # the file gives the force on the plate; we want ground on body
        f_lab, cop, tq = (to_z_up(a, frame) for a in (f_lab, cop, tq))
        cop = np.where((f_lab[:, 2] >= min_force_n)[:, None], cop, np.nan)
        out.append(GroundReaction(time_s=t, force_n=f_lab, cop_m=cop, free_moment_nm=tq,
                                  name=f"plate{i + 1}"))
    return out
