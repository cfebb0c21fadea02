"""Force plates as labs export them: a plain CSV table plus a small description (TOML or options).

The description says which columns hold what, in which units and frame, on which clock, and
what each plate is under (the feet, one foot, or the lifted object)::

    # plates.toml (every key but [[plate]] is optional; defaults shown)
    delimiter = ","
    header_rows = 0             # lines to skip before the numbers (0: none; "auto": skip non-numeric lines)
    time_column = 1             # 1-based column number or header name; omit and give rate_hz instead
    rate_hz = 50.0              # sampling rate, Hz (checked against the time column when both are given)
    time_unit = "s"             # "s" or "ms"
    time_base = "file"          # "file": same clock as the motion; "start": first row = first motion frame
    force_unit = "N"            # "N" or "kN"
    length_unit = "m"           # centre-of-pressure unit: "m", "cm" or "mm"
    moment_unit = "N.m"         # free-moment unit: "N.m" or "N.mm"
    frame = "z_up"              # lab frame of the columns: "z_up" (C3D labs) or "y_up" (OpenSim)
    force_on = "body"           # "body": the plate's reaction (force on the feet / object, Fz > 0
                                # when loaded); "plate": the force applied to the plate (Fz < 0)

    [[plate]]
    name = "box"
    role = "object"             # "feet" (both feet), "left_foot", "right_foot" or "object"
    force = [2, 3, 4]           # Fx, Fy, Fz columns
    cop = [5, 6, 7]             # centre of pressure x, y, z columns (optional for an object plate)
    free_moment = 0             # optional: column of the vertical free moment Tz

Every problem (missing column, non-numeric cell, unknown unit, a time column that disagrees
with ``rate_hz``, values that look like another unit) raises a `liftrisk.errors` exception
that names the file, the field and the fix.
"""

from __future__ import annotations

import io
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from liftrisk.core.frames import Y_UP_TO_Z_UP
from liftrisk.core.loads import ForcePlates, GroundReaction, ObjectSupport
from liftrisk.errors import DataQualityError, InputFileError, UnitsError
from liftrisk.io._common import check_readable

__all__ = ["PlateColumns", "PlateCsvSpec", "ROLES", "plate_spec", "read_plate_spec", "read_force_plates_csv",
           "check_plate_timing"]

ROLES = ("feet", "left_foot", "right_foot", "object")
_FORCE_UNITS = {"n": 1.0, "kn": 1000.0}
_LENGTH_UNITS = {"m": 1.0, "cm": 0.01, "mm": 0.001}
_MOMENT_UNITS = {"n.m": 1.0, "nm": 1.0, "n·m": 1.0, "n.mm": 0.001, "nmm": 0.001, "n·mm": 0.001}
_TIME_UNITS = {"s": 1.0, "ms": 0.001}
# A foot plate's vertical force: a person weighs 200-2500 N; a plate whose peak |Fz| is below
# 20 units but above 0.02 is likely in kN; above 50 000 likely in another unit (e.g. 0.1 N).
_MIN_PEAK_FEET_N = 20.0
# A centre of pressure is on a plate in the lab: more than 50 m from the origin means mm read as m.
_MAX_COP_M = 50.0

Column = int | str


@dataclass(frozen=True)
class PlateColumns:
    """Where one plate's data are in the table.

    Attributes
    ----------
    name : str
        Label used in messages and outputs.
    role : str
        "feet", "left_foot", "right_foot" or "object".
    force : tuple
        Three columns (Fx, Fy, Fz, in the file's force unit): 1-based numbers or header names.
    cop : tuple or None
        Three columns (x, y, z) of the centre of pressure (file's length unit), or None.
    free_moment : int, str or None
        Column of the vertical free moment Tz (file's moment unit), or None.
    """

    name: str
    role: str
    force: tuple
    cop: tuple | None = None
    free_moment: Column | None = None


@dataclass(frozen=True)
class PlateCsvSpec:
    """Description of a force-plate CSV (see the module docstring for the keys and defaults).

    Attributes
    ----------
    plates : tuple of PlateColumns
        Where each plate's columns are and what it is under.
    delimiter : str
        Column separator.
    header_rows : int or "auto"
        Lines to skip before the numbers.
    time_column : int, str or None
        1-based column number or header name of the time; None = use ``rate_hz``.
    rate_hz : float or None
        Sampling rate (Hz).
    time_unit : {"s", "ms"}
        Unit of the time column.
    time_base : {"file", "start"}
        Same clock as the motion, or first row = first motion frame.
    force_unit : {"N", "kN"}
        Unit of the force columns.
    length_unit : {"m", "cm", "mm"}
        Unit of the centre-of-pressure columns.
    moment_unit : {"N.m", "N.mm"}
        Unit of the free-moment column.
    frame : {"z_up", "y_up"}
        Lab frame of the columns.
    force_on : {"body", "plate"}
        Whether the columns are the force on the body (Fz > 0 when loaded) or on the plate.
    source : str
        Where the description came from, for messages.
    """

    plates: tuple
    delimiter: str = ","
    header_rows: int | str = 0
    time_column: Column | None = None
    rate_hz: float | None = None
    time_unit: str = "s"
    time_base: str = "file"
    force_unit: str = "N"
    length_unit: str = "m"
    moment_unit: str = "N.m"
    frame: str = "z_up"
    force_on: str = "body"
    source: str = field(default="", compare=False)


def _err(where: str, problem: str, fix: str, field_: str = "") -> InputFileError:
    return InputFileError(where or "force-plate description", problem, fix=fix, field=field_)


def _column(v, where: str, key: str, fix: str = "write e.g. force = [2, 3, 4] or force = [\"Fx1\", \"Fy1\", \"Fz1\"]"
            ) -> Column:
    """A 1-based column number or a header name from a description file; `fix` is the hint shown
    when `v` is neither (`where` names the file, never empty)."""
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise _err(where, f"{key} is {v!r}; expected a 1-based column number or a header name", fix, key)
    if isinstance(v, int) and v < 1:
        raise _err(where, f"{key} is {v}; column numbers start at 1", "count the first column as 1", key)
    return v


def _columns3(v, where: str, key: str) -> tuple:
    if not isinstance(v, Sequence) or isinstance(v, str) or len(v) != 3:
        raise _err(where, f"{key} is {v!r}; expected three columns (x, y, z)", f"write {key} = [c1, c2, c3]", key)
    return tuple(_column(c, where, key) for c in v)


def plate_spec(plates: Sequence[Mapping], **options) -> PlateCsvSpec:
    """Build and check a `PlateCsvSpec` from plain values (what the TOML file or CLI options hold).

    Parameters
    ----------
    plates : sequence of mappings with ``name``, ``role``, ``force`` and optionally ``cop``,
        ``free_moment``.
    **options : the table-wide keys of the module docstring.

    Returns
    -------
    PlateCsvSpec
        The checked description; a bad value raises an error naming the key.

    Examples
    --------
    >>> s = plate_spec([{"name": "floor", "role": "feet", "force": [2, 3, 4], "cop": [5, 6, 7]}], rate_hz=50)
    >>> s.plates[0].role, s.rate_hz
    ('feet', 50.0)
    """
    where = str(options.pop("source", "") or "force-plate description")
    known = {f for f in PlateCsvSpec.__dataclass_fields__ if f not in ("plates", "source")}
    unknown = set(options) - known
    if unknown:
        raise _err(where, f"unknown key(s) {sorted(unknown)}", f"use only {', '.join(sorted(known))} and [[plate]]")
    if not plates:
        raise _err(where, "no plate described", "add a [[plate]] table with name, role and force columns", "plate")
    cols = []
    for i, p in enumerate(plates):
        if not isinstance(p, Mapping):
            raise _err(where, f"plate {i + 1} is {p!r}; expected a table", "write [[plate]] tables", "plate")
        extra = set(p) - {"name", "role", "force", "cop", "free_moment"}
        if extra:
            raise _err(where, f"plate {i + 1}: unknown key(s) {sorted(extra)}",
                       "use name, role, force, cop, free_moment", "plate")
        role = str(p.get("role", "")).strip().lower()
        if role not in ROLES:
            raise _err(where, f"plate {i + 1} role is {p.get('role')!r}; expected one of {', '.join(ROLES)}",
                       "say what the plate is under", "role")
        if "force" not in p:
            raise _err(where, f"plate {i + 1} has no force columns", "add force = [Fx, Fy, Fz] columns", "force")
        cop = _columns3(p["cop"], where, "cop") if p.get("cop") is not None else None
        if cop is None and role != "object":
            raise _err(where, f"plate {i + 1} ({role}) has no centre-of-pressure columns",
                       "add cop = [x, y, z] columns (needed for the joint moments)", "cop")
        fm = _column(p["free_moment"], where, "free_moment") if p.get("free_moment") is not None else None
        cols.append(PlateColumns(str(p.get("name") or f"plate{i + 1}"), role, _columns3(p["force"], where, "force"),
                                 cop, fm))
    opts = dict(options)
    checks = (("time_unit", _TIME_UNITS), ("force_unit", _FORCE_UNITS), ("length_unit", _LENGTH_UNITS),
              ("moment_unit", _MOMENT_UNITS), ("frame", {"z_up": 1, "y_up": 1}), ("time_base", {"file": 1, "start": 1}),
              ("force_on", {"body": 1, "plate": 1}))
    for key, allowed in checks:
        if key in opts and str(opts[key]).strip().lower() not in allowed:
            raise UnitsError(f"{where} [{key}]: {opts[key]!r} is not known; expected one of {', '.join(allowed)}. "
                             f"Fix: set {key} to one of them")
        if key in opts:
            opts[key] = str(opts[key]).strip().lower() if key != "force_unit" else str(opts[key]).strip()
    if "time_column" in opts and opts["time_column"] is not None:
        opts["time_column"] = _column(opts["time_column"], where, "time_column")
    if opts.get("rate_hz") is not None:
        r = float(opts["rate_hz"])
        if not np.isfinite(r) or r <= 0:
            raise _err(where, f"rate_hz is {opts['rate_hz']!r}; expected a positive rate in Hz", "fix rate_hz",
                       "rate_hz")
        opts["rate_hz"] = r
    if opts.get("time_column") is None and opts.get("rate_hz") is None:
        raise _err(where, "neither time_column nor rate_hz is given", "give the time column or the sampling rate",
                   "time_column")
    hr = opts.get("header_rows", 0)
    if not (hr == "auto" or (isinstance(hr, int) and not isinstance(hr, bool) and hr >= 0)):
        raise _err(where, f"header_rows is {hr!r}; expected a number of lines >= 0 or \"auto\"", "fix header_rows",
                   "header_rows")
    return PlateCsvSpec(plates=tuple(cols), source=where, **opts)


def read_plate_spec(path: str | os.PathLike) -> PlateCsvSpec:
    """Read a force-plate description from a TOML file (keys: module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        TOML file with a ``[[plate]]`` table per plate and the table-wide keys.

    Returns
    -------
    PlateCsvSpec
        The checked description.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "plates.toml"
    >>> _ = f.write_text('rate_hz = 50\\n[[plate]]\\nname = "box"\\nrole = "object"\\nforce = [2, 3, 4]\\n')
    >>> read_plate_spec(f).plates[0].name
    'box'
    """
    p = check_readable(path)
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(p, f"not a readable TOML file ({exc})", fix="check the syntax (key = value)") from None
    doc = dict(doc)
    plates = doc.pop("plate", [])
    return plate_spec(plates, source=str(p), **doc)


def _load_table(p: Path, spec: PlateCsvSpec) -> tuple[np.ndarray, list[str]]:
    lines = p.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    header: list[str] = []
    skip = spec.header_rows
    if skip == "auto":
        skip = 0
        for ln in lines:
            try:
                [float(x) for x in ln.split(spec.delimiter) if x.strip()]
                if ln.strip():
                    break
            except ValueError:
                pass
            skip += 1
    if skip:
        header = [c.strip() for c in lines[skip - 1].split(spec.delimiter)]
    rows = [ln for ln in lines[skip:] if ln.strip()]
    if not rows:
        raise InputFileError(p, "no data rows after the header", fix="check header_rows and export the plates again")
    width = len(rows[0].split(spec.delimiter))
    counts = np.array([ln.count(spec.delimiter) for ln in rows]) + 1
    if np.any(counts != width):
        i = int(np.flatnonzero(counts != width)[0])
        raise InputFileError(p, f"row {skip + i + 1} has {counts[i]} columns, the first data row {width}",
                             fix=f"check the delimiter ({spec.delimiter!r}) and the export")
    text = "\n".join(rows)
    try:  # fast path: every cell a number or empty
        return pd.read_csv(io.StringIO(text), header=None, sep=spec.delimiter, dtype=float,
                           skipinitialspace=True).to_numpy(float), header
    except ValueError:
        pass
    table = pd.read_csv(io.StringIO(text), header=None, sep=spec.delimiter, dtype=str,
                        keep_default_na=False).apply(lambda c: c.str.strip())
    empty = table.isin(["", "nan", "NaN", "NAN"])
    data = table.apply(pd.to_numeric, errors="coerce").to_numpy(float)
    bad = np.isnan(data) & ~empty.to_numpy()
    if bad.any():
        i, j = (int(v[0]) for v in np.nonzero(bad))
        raise InputFileError(p, f"row {skip + i + 1}, column {j + 1}: {table.iat[i, j]!r} is not a number",
                             field=f"column {j + 1}",
                             fix="set header_rows to skip text lines; use '.' as decimal point")
    return data, header


def _index(col: Column, header: list[str], width: int, p: Path, key: str) -> int:
    if isinstance(col, str):
        if col not in header:
            raise InputFileError(p, f"no column named {col!r} (the header is {header[:12]})", field=key,
                                 fix="use the header name exactly, or a 1-based column number")
        return header.index(col)
    if col > width:
        raise InputFileError(p, f"{key} column {col} does not exist; the table has {width} columns", field=key,
                             fix="count columns from 1")
    return col - 1


def read_force_plates_csv(path: str | os.PathLike, spec: PlateCsvSpec, motion_start_s: float = 0.0,
                          min_force_n: float = 20.0) -> ForcePlates:
    """Read force plates from a CSV table described by `spec`.

    Parameters
    ----------
    path : the CSV file.
    spec : `PlateCsvSpec` (`read_plate_spec` or `plate_spec`).
    motion_start_s : time of the motion's first frame, s: with ``time_base = "start"`` the first
        row is put there (use when the plate file keeps the capture clock and the marker file
        starts at 0, or the other way round).
    min_force_n : below this vertical force a foot plate's centre of pressure is NaN (unloaded).

    Returns
    -------
    ForcePlates
        Plates under the feet as `GroundReaction` (force of the ground on the body, N; COP, m;
        free moment about the vertical, N·m), plates under an object as `ObjectSupport`
        (force of the plate on the object), all in liftrisk's Z-up world frame.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "plates.csv"
    >>> _ = f.write_text("0.00,0,0,800,0.1,0.0,0\\n0.02,0,0,790,0.1,0.0,0\\n")
    >>> s = plate_spec([{"name": "floor", "role": "feet", "force": [2, 3, 4], "cop": [5, 6, 7]}], time_column=1)
    >>> fp = read_force_plates_csv(f, s)
    >>> fp.ground[0].force_n[:, 2].tolist(), fp.ground[0].rate_hz
    ([800.0, 790.0], 50.0)
    """
    p = check_readable(path)
    data, header = _load_table(p, spec)
    n, width = data.shape
    if spec.time_column is not None:
        t = data[:, _index(spec.time_column, header, width, p, "time_column")] * _TIME_UNITS[spec.time_unit.lower()]
        if not np.all(np.isfinite(t)) or (t.size > 1 and np.any(np.diff(t) <= 0)):
            raise InputFileError(p, "the time column is not strictly increasing (or has empty cells)",
                                 field="time_column", fix="check time_column and time_unit")
        if spec.rate_hz is not None and t.size > 1:
            file_rate = 1.0 / float(np.median(np.diff(t)))
            if abs(file_rate - spec.rate_hz) > 0.01 * spec.rate_hz:
                raise DataQualityError(f"{p} [time_column]: the time column runs at {file_rate:.4g} Hz but rate_hz is "
                                       f"{spec.rate_hz:g} Hz. Fix: correct rate_hz or time_unit ({spec.time_unit})")
    else:
        t = np.arange(n) / spec.rate_hz
    if spec.time_base == "start":
        t = t - t[0] + float(motion_start_s)
    rot = Y_UP_TO_Z_UP if spec.frame == "y_up" else np.eye(3)
    f_scale = _FORCE_UNITS[spec.force_unit.lower()] * (-1.0 if spec.force_on == "plate" else 1.0)
    l_scale = _LENGTH_UNITS[spec.length_unit.lower()]
    m_scale = _MOMENT_UNITS[spec.moment_unit.lower()] * (-1.0 if spec.force_on == "plate" else 1.0)
    ground, objects = [], []
    for pc in spec.plates:
        fi = [_index(c, header, width, p, f"{pc.name} force") for c in pc.force]
        force = data[:, fi] * f_scale @ rot.T
        if not np.isfinite(force).all():
            raise InputFileError(p, f"plate {pc.name!r}: empty or non-numeric force cells", field=f"{pc.name} force",
                                 fix="fill the force columns (0 when unloaded)")
        cop = np.full((n, 3), np.nan)
        if pc.cop is not None:
            ci = [_index(c, header, width, p, f"{pc.name} cop") for c in pc.cop]
            cop = data[:, ci] * l_scale @ rot.T
            big = np.nanmax(np.abs(cop)) if np.isfinite(cop).any() else 0.0
            if big > _MAX_COP_M:
                raise UnitsError(f"{p} [{pc.name} cop]: centre of pressure up to {big:.4g} m from the lab origin; "
                                 f"the values look like millimetres. Fix: set length_unit = \"mm\"")
        peak = float(np.max(np.abs(force[:, 2])))
        if pc.role != "object" and 0.0 < peak < _MIN_PEAK_FEET_N:
            raise UnitsError(f"{p} [{pc.name} force]: the vertical force under the feet peaks at {peak:.4g} "
                             f"{spec.force_unit}, too small for a person; the values look like kN. Fix: set "
                             "force_unit = \"kN\"")
        if pc.role == "object":
            objects.append(ObjectSupport(t, force, cop, name=pc.name))
            continue
        fz_mean = float(np.median(force[:, 2]))
        if fz_mean < 0:
            raise DataQualityError(f"{p} [{pc.name} force]: the vertical force under the feet is negative (median "
                                   f"{fz_mean:.0f} N): the columns hold the force on the plate. Fix: set "
                                   "force_on = \"plate\"")
        free = np.zeros((n, 3))
        if pc.free_moment is not None:
            # the free moment is about the lab vertical whatever the frame: it goes to Z directly
            free[:, 2] = np.nan_to_num(data[:, _index(pc.free_moment, header, width, p, f"{pc.name} free_moment")]
                                       * m_scale)
        cop[np.abs(force[:, 2]) < min_force_n] = np.nan
        foot = {"feet": "both", "left_foot": "left", "right_foot": "right"}[pc.role]
        ground.append(GroundReaction(t, force, cop, free, foot=foot, name=pc.name))
    return ForcePlates(tuple(ground), tuple(objects), source=str(p))


def check_plate_timing(plates: ForcePlates, motion_time_s: np.ndarray) -> None:
    """Check that the plates cover the motion's time span (clear error for a clock or rate mismatch).

    The plates must start no later than one plate sample after the motion and end no earlier
    than one sample before it; otherwise the clocks differ (e.g. capture time vs a file
    starting at 0: use ``time_base = "start"``) or the rate is wrong.

    Parameters
    ----------
    plates : ForcePlates
        Plates read from the CSV (times in s).
    motion_time_s : numpy.ndarray
        (T,) times of the motion (s).

    Examples
    --------
    >>> g = GroundReaction(np.arange(5) * 0.02, np.tile([0, 0, 800.0], (5, 1)), np.zeros((5, 3)))
    >>> check_plate_timing(ForcePlates((g,)), np.arange(5) * 0.02)
    """
    t = np.asarray(motion_time_s, float)
    for pl in (*plates.ground, *plates.objects):
        pt = pl.time_s
        step = 1.0 / pl.rate_hz if pl.rate_hz > 0 else 0.0
        if pt[0] > t[0] + step + 1e-9 or pt[-1] < t[-1] - step - 1e-9:
            raise DataQualityError(
                f"{plates.source or 'force plates'}: plate {pl.name!r} covers {pt[0]:.3f}-{pt[-1]:.3f} s "
                f"({pl.rate_hz:g} Hz, {pt.size} samples) but the motion {t[0]:.3f}-{t[-1]:.3f} s "
                f"({t.size} frames). Fix: if both files start together set time_base = \"start\"; otherwise check "
                "rate_hz / time_unit and that the files belong to the same trial")
