"""Pressure insoles as labs export them: a CSV table (one file with both feet, or one per foot)
plus a small TOML description of its columns, units, clock and sensor layout.

Two kinds of export are read:

- ``format = "pressure"``: one column per sensor (Novel pedar, XSENSOR and Moticon raw
  exports); the layout gives each sensor's area and position in the insole frame, and the
  vertical force is sum(pressure x area) (Int J Intell Syst 2023, eq. 6);
- ``format = "force"``: the per-foot total force (and, optionally, the centre of pressure)
  that the insole software computes (Moticon "total force" / "COP", pedar "force" columns).

::

    # insoles.toml (defaults shown; [left] and [right] are required)
    format = "pressure"        # "pressure" (one column per sensor) or "force" (total force per foot)
    delimiter = ","
    header_rows = "auto"       # lines before the numbers; "auto": skip lines that are not numbers
    time_column = 1            # 1-based column number or header name; omit and give rate_hz instead
    rate_hz = 100.0            # sampling rate, Hz (checked against the time column when both are given)
    time_unit = "s"            # "s" or "ms"
    time_base = "file"         # "file": the motion's clock; "start": first row = first motion frame
    pressure_unit = "kPa"      # "Pa", "kPa", "MPa", "N/cm2", "N/mm2", "bar", "psi" or "mmHg"
    area_unit = "cm2"          # sensor areas: "m2", "cm2" or "mm2"
    length_unit = "mm"         # sensor positions and centre of pressure: "m", "cm" or "mm"
    force_unit = "N"           # format "force": "N" or "kN"

    [left]                     # the insole frame: x forward from the heel, y to the subject's left
    pressure = [2, 3, 4]       # format "pressure": one column per sensor (numbers or header names)
    sensor_area = 1.5          # one area for every sensor, or one per sensor
    sensor_x = [30, 120, 200]  # sensor centres, x (length_unit)
    sensor_y = [0, 10, 0]      # sensor centres, y (length_unit)
    # format "force" instead:  force = "L_total"   and optionally   cop = ["L_cop_x", "L_cop_y"]

    [right]
    ...

With two files (``read_insoles([left_csv, right_csv], spec)``) each foot's columns are in its
own file; with one file both feet's are. Both feet must be on one clock: two files at
different rates, or a time column that disagrees with ``rate_hz``, are an error. Every
problem (missing or non-numeric cell, negative pressure beyond the sensor's zero noise, an
unknown unit, totals that look like another unit, sensor lists of different lengths) raises
a `liftrisk.errors` exception naming the file, the field and the fix.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from liftrisk.core.loads import InsoleForce, InsolePressure
from liftrisk.errors import DataQualityError, InputFileError, UnitsError
from liftrisk.io._common import check_readable
from liftrisk.io.force_plates_csv import _column as _plate_column
from liftrisk.io.force_plates_csv import _index, _load_table

__all__ = ["InsoleSpec", "FOOT_KEYS", "insole_spec", "read_insole_spec", "read_insoles"]

FORMATS = ("pressure", "force")
FOOT_KEYS = ("left", "right")
# Pa per unit (exact conversions: 1 psi = 6894.757 Pa, 1 mmHg = 133.322 Pa)
PRESSURE_UNITS = {"Pa": 1.0, "kPa": 1e3, "MPa": 1e6, "N/cm2": 1e4, "N/mm2": 1e6, "bar": 1e5, "psi": 6894.757,
                  "mmHg": 133.322}
AREA_UNITS = {"m2": 1.0, "cm2": 1e-4, "mm2": 1e-6}
_LENGTH_UNITS = {"m": 1.0, "cm": 0.01, "mm": 0.001}
FORCE_UNITS = {"N": 1.0, "kN": 1000.0}
TIME_UNITS = {"s": 1.0, "ms": 0.001}
# A person's foot carries 0 to ~3 body weights (< 6000 N even landing from a jump); a foot's
# peak force below 20 N or above 20 000 N means a wrong pressure, area or force unit.
_FOOT_PEAK_N = (20.0, 20_000.0)
# An insole is at most ~0.35 m long (shoe size 50): positions beyond 0.5 m are in another unit.
_MAX_INSOLE_M = 0.5
# Negative readings within this share of the sensor's peak (zero-offset noise) are set to 0;
# larger ones mean a wrong zero or a wrong column.
_NEGATIVE_TOLERANCE = 0.02

Column = int | str


@dataclass(frozen=True)
class InsoleColumns:
    """Where one foot's data are in the table and, for per-sensor pressures, the sensor layout.

    Attributes
    ----------
    foot : str
        "left" or "right".
    pressure : tuple
        One column per sensor (format "pressure").
    sensor_area_m2 : numpy.ndarray or None
        (S,) sensor areas, m².
    sensor_xy_m : numpy.ndarray or None
        (S, 2) sensor centres in the insole frame, m.
    force : int, str or None
        Column of the total force (format "force").
    cop : tuple or None
        Two columns (x, y) of the centre of pressure in the insole frame (format "force").
    """

    foot: str
    pressure: tuple = ()
    sensor_area_m2: np.ndarray | None = None
    sensor_xy_m: np.ndarray | None = None
    force: Column | None = None
    cop: tuple | None = None


@dataclass(frozen=True)
class InsoleSpec:
    """Description of an insole export (keys and defaults: the module docstring).

    Attributes
    ----------
    feet : tuple of InsoleColumns
        Left, then right.
    format : {"pressure", "force"}
        One column per sensor, or the total force per foot.
    delimiter, header_rows, time_column, rate_hz, time_unit, time_base :
        The table and its clock, as `liftrisk.io.PlateCsvSpec`.
    pressure_unit, area_unit, length_unit, force_unit : str
        Units of the columns and of the layout.
    source : str
        Where the description came from, for messages.
    """

    feet: tuple
    format: str = "pressure"
    delimiter: str = ","
    header_rows: int | str = "auto"
    time_column: Column | None = None
    rate_hz: float | None = None
    time_unit: str = "s"
    time_base: str = "file"
    pressure_unit: str = "kPa"
    area_unit: str = "cm2"
    length_unit: str = "mm"
    force_unit: str = "N"
    source: str = field(default="", compare=False)


def _err(where: str, problem: str, fix: str, field_: str = "") -> InputFileError:
    return InputFileError(where or "insole description", problem, fix=fix, field=field_)


def _column(v, where: str, key: str) -> Column:
    return _plate_column(v, where, key, fix=f"write e.g. {key} = 2 or {key} = \"L_total\"")


def _numbers(v, where: str, key: str, n: int | None = None) -> np.ndarray:
    vals = [v] if isinstance(v, int | float) and not isinstance(v, bool) else v
    if isinstance(vals, str | bytes) or not isinstance(vals, Sequence) or not vals:
        raise _err(where, f"{key} is {v!r}; expected a number or a list of numbers", f"write e.g. {key} = [1.0, 2.0]",
                   key)
    try:
        arr = np.array([float(x) for x in vals if not isinstance(x, bool)], float)
    except (TypeError, ValueError):
        raise _err(where, f"{key} holds {v!r}; expected numbers", f"write {key} as numbers", key) from None
    if arr.size != len(vals) or not np.all(np.isfinite(arr)):
        raise _err(where, f"{key} holds {v!r}; expected finite numbers", f"write {key} as numbers", key)
    if n is not None and arr.size not in (1, n):
        raise _err(where, f"{key} has {arr.size} values for {n} sensor columns", f"give one {key} per sensor", key)
    return arr


def _unit(opts: dict, key: str, table: Mapping, where: str) -> None:
    if key in opts:
        v = str(opts[key]).strip().replace(" ", "").replace("²", "2").lower()
        names = {k.lower(): k for k in table}
        if v not in names:
            raise UnitsError(f"{where} [{key}]: {opts[key]!r} is not known; expected one of {', '.join(table)}. "
                             f"Fix: set {key} to one of them")
        opts[key] = names[v]


def _foot(foot: str, table, fmt: str, where: str, area_scale: float, length_scale: float) -> InsoleColumns:
    if not isinstance(table, Mapping):
        raise _err(where, f"no [{foot}] table", f"add a [{foot}] table with that insole's columns", foot)
    allowed = {"pressure", "sensor_area", "sensor_x", "sensor_y"} if fmt == "pressure" else {"force", "cop"}
    extra = set(table) - allowed
    if extra:
        raise _err(where, f"[{foot}] has unknown key(s) {sorted(extra)} for format {fmt!r}",
                   f"use only {', '.join(sorted(allowed))}", foot)
    if fmt == "force":
        if "force" not in table:
            raise _err(where, f"[{foot}] has no force column", "add force = <column of the total force>",
                       f"{foot}.force")
        cop = None
        if table.get("cop") is not None:
            c = table["cop"]
            if isinstance(c, str) or not isinstance(c, Sequence) or len(c) != 2:
                raise _err(where, f"[{foot}] cop is {c!r}; expected two columns (x, y in the insole frame)",
                           "write cop = [x_column, y_column]", f"{foot}.cop")
            cop = tuple(_column(x, where, f"{foot}.cop") for x in c)
        return InsoleColumns(foot, force=_column(table["force"], where, f"{foot}.force"), cop=cop)
    cols = table.get("pressure")
    if isinstance(cols, str) or not isinstance(cols, Sequence) or not cols:
        raise _err(where, f"[{foot}] pressure is {cols!r}; expected a list of sensor columns",
                   "write pressure = [2, 3, ...] (one column per sensor)", f"{foot}.pressure")
    cols = tuple(_column(c, where, f"{foot}.pressure") for c in cols)
    n = len(cols)
    for key in ("sensor_area", "sensor_x", "sensor_y"):
        if key not in table:
            raise _err(where, f"[{foot}] has no {key}", f"give {key} (one value per sensor"
                       + (", or one for all" if key == "sensor_area" else "") + ")", f"{foot}.{key}")
    area = _numbers(table["sensor_area"], where, f"{foot}.sensor_area", n)
    x = _numbers(table["sensor_x"], where, f"{foot}.sensor_x", n)
    y = _numbers(table["sensor_y"], where, f"{foot}.sensor_y", n)
    for key, arr in (("sensor_x", x), ("sensor_y", y)):
        if arr.size != n:
            raise _err(where, f"[{foot}] {key} has {arr.size} values for {n} sensor columns",
                       f"give one {key} per sensor", f"{foot}.{key}")
    if np.any(area <= 0):
        raise _err(where, f"[{foot}] sensor_area has a value <= 0", "sensor areas are positive", f"{foot}.sensor_area")
    area_m2 = np.broadcast_to(area * area_scale, (n,)).copy()
    if np.any(area_m2 > 0.01):
        raise UnitsError(f"{where} [{foot}.sensor_area]: sensors up to {area_m2.max():.4g} m² each, larger than a "
                         "whole insole (~0.02 m²); the areas look like another unit. Fix: set area_unit (\"cm2\", "
                         "\"mm2\")")
    xy = np.column_stack([x, y]) * length_scale
    if np.max(np.abs(xy)) > _MAX_INSOLE_M:
        raise UnitsError(f"{where} [{foot}.sensor_x/sensor_y]: sensor positions up to {np.max(np.abs(xy)):.4g} m from "
                         "the heel, longer than any insole; the positions look like another unit. Fix: set "
                         "length_unit (\"mm\", \"cm\")")
    return InsoleColumns(foot, pressure=cols, sensor_area_m2=area_m2, sensor_xy_m=xy)


def insole_spec(feet: Mapping, **options) -> InsoleSpec:
    """Build and check an `InsoleSpec` from plain values (what the TOML file holds).

    Parameters
    ----------
    feet : mapping
        ``{"left": {...}, "right": {...}}``, each foot's columns and layout (module docstring).
    **options
        The table-wide keys of the module docstring.

    Returns
    -------
    InsoleSpec
        The checked description; a bad value raises an error naming the key.

    Examples
    --------
    >>> s = insole_spec({"left": {"force": 2}, "right": {"force": 3}}, format="force", rate_hz=100)
    >>> s.format, [f.force for f in s.feet]
    ('force', [2, 3])
    """
    where = str(options.pop("source", "") or "insole description")
    known = {f for f in InsoleSpec.__dataclass_fields__ if f not in ("feet", "source")}
    unknown = set(options) - known
    if unknown:
        raise _err(where, f"unknown key(s) {sorted(unknown)}", f"use only {', '.join(sorted(known))}, [left], [right]")
    opts = dict(options)
    fmt = str(opts.get("format", "pressure")).strip().lower()
    if fmt not in FORMATS:
        raise _err(where, f"format is {opts.get('format')!r}; expected \"pressure\" (one column per sensor) or "
                   "\"force\" (total force per foot)", "set format", "format")
    opts["format"] = fmt
    for key, table in (("pressure_unit", PRESSURE_UNITS), ("area_unit", AREA_UNITS), ("length_unit", _LENGTH_UNITS),
                       ("force_unit", FORCE_UNITS), ("time_unit", TIME_UNITS)):
        opts.setdefault(key, InsoleSpec.__dataclass_fields__[key].default)
        _unit(opts, key, table, where)
    opts["time_base"] = str(opts.get("time_base", "file")).strip().lower()
    if opts["time_base"] not in ("file", "start"):
        raise _err(where, f"time_base is {opts['time_base']!r}; expected \"file\" or \"start\"", "fix time_base",
                   "time_base")
    if opts.get("time_column") is not None:
        opts["time_column"] = _column(opts["time_column"], where, "time_column")
    if opts.get("rate_hz") is not None:
        r = opts["rate_hz"]
        if isinstance(r, bool) or not isinstance(r, int | float) or not np.isfinite(r) or r <= 0:
            raise _err(where, f"rate_hz is {r!r}; expected a positive rate in Hz", "fix rate_hz", "rate_hz")
        opts["rate_hz"] = float(r)
    if opts.get("time_column") is None and opts.get("rate_hz") is None:
        raise _err(where, "neither time_column nor rate_hz is given", "give the time column or the sampling rate",
                   "time_column")
    hr = opts.get("header_rows", "auto")
    if not (hr == "auto" or (isinstance(hr, int) and not isinstance(hr, bool) and hr >= 0)):
        raise _err(where, f"header_rows is {hr!r}; expected a number of lines >= 0 or \"auto\"", "fix header_rows",
                   "header_rows")
    a_scale = AREA_UNITS[opts.get("area_unit", "cm2")]
    l_scale = _LENGTH_UNITS[opts.get("length_unit", "mm")]
    cols = tuple(_foot(f, feet.get(f), fmt, where, a_scale, l_scale) for f in FOOT_KEYS)
    return InsoleSpec(feet=cols, source=where, **opts)


def read_insole_spec(path: str | os.PathLike) -> InsoleSpec:
    """Read an insole description from a TOML file (keys: the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        TOML file with the table-wide keys and a ``[left]`` and ``[right]`` table.

    Returns
    -------
    InsoleSpec
        The checked description.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "insoles.toml"
    >>> _ = f.write_text('format = "force"\\nrate_hz = 100\\n[left]\\nforce = 2\\n[right]\\nforce = 3\\n')
    >>> read_insole_spec(f).feet[1].force
    3
    """
    p = check_readable(path)
    try:
        doc = dict(tomllib.loads(p.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(p, f"not a readable TOML file ({exc})", fix="check the syntax (key = value)") from None
    feet = {f: doc.pop(f, None) for f in FOOT_KEYS}
    return insole_spec(feet, source=str(p), **doc)


def _times(p: Path, data: np.ndarray, header: list[str], spec: InsoleSpec, motion_start_s: float) -> np.ndarray:
    n, width = data.shape
    if spec.time_column is not None:
        t = data[:, _index(spec.time_column, header, width, p, "time_column")] * TIME_UNITS[spec.time_unit]
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
    return t


def _finite(p: Path, values: np.ndarray, names: list[str], what: str) -> None:
    bad = ~np.isfinite(values.reshape(values.shape[0], -1))
    if bad.any():
        i, j = (int(v[0]) for v in np.nonzero(bad))
        raise InputFileError(p, f"{what} row {i + 1} (of the data) is empty or not a number", field=names[j],
                             fix="fill the gap (0 for an unloaded sensor) or trim the recording")


def _read_foot(p: Path, data: np.ndarray, header: list[str], t: np.ndarray, cols: InsoleColumns, spec: InsoleSpec):
    width = data.shape[1]
    foot = cols.foot
    meta = {"source": str(p), "format": spec.format}
    if spec.format == "force":
        name = f"{foot}.force"
        f = data[:, _index(cols.force, header, width, p, name)] * FORCE_UNITS[spec.force_unit]
        _finite(p, f, [name], f"{foot} force:")
        peak = float(np.max(np.abs(f)))
        low = float(np.min(f))
        if low < -_NEGATIVE_TOLERANCE * max(peak, 1e-9):
            raise DataQualityError(f"{p} [{name}]: the force goes down to {low:.4g} N; an insole measures compression "
                                   "only. Fix: check the column and the insole's zero (re-zero it unloaded)")
        _check_peak(p, name, peak, f"force_unit = {spec.force_unit!r}")
        cop = None
        if cols.cop is not None:
            ci = [_index(c, header, width, p, f"{foot}.cop") for c in cols.cop]
            cop = data[:, ci] * _LENGTH_UNITS[spec.length_unit]
            big = float(np.nanmax(np.abs(cop))) if np.isfinite(cop).any() else 0.0
            if big > _MAX_INSOLE_M:
                raise UnitsError(f"{p} [{foot}.cop]: centre of pressure up to {big:.4g} m from the heel, longer than "
                                 "any insole; the values look like another unit. Fix: set length_unit (\"mm\", \"cm\")")
        return InsoleForce(t, np.clip(f, 0.0, None), cop, foot, meta)
    idx = [_index(c, header, width, p, f"{foot}.pressure") for c in cols.pressure]
    names = [f"{foot}.pressure {c}" for c in cols.pressure]
    pres = data[:, idx] * PRESSURE_UNITS[spec.pressure_unit]
    _finite(p, pres, names, f"{foot} pressure:")
    peak = np.max(np.abs(pres), axis=0)
    worst = np.min(pres, axis=0)
    neg = worst < -_NEGATIVE_TOLERANCE * np.maximum(peak, 1e-9)
    if neg.any():
        j = int(np.flatnonzero(neg)[0])
        i = int(np.argmin(pres[:, j]))
        raise DataQualityError(f"{p} [{names[j]}]: pressure {pres[i, j] / PRESSURE_UNITS[spec.pressure_unit]:.4g} "
                               f"{spec.pressure_unit} at data row {i + 1}; an insole sensor measures compression only. "
                               "Fix: check the column and the insole's zero (re-zero it unloaded)")
    pres = np.clip(pres, 0.0, None)
    ins = InsolePressure(t, pres, cols.sensor_area_m2, cols.sensor_xy_m, foot, meta)
    _check_peak(p, f"{foot}.pressure", float(np.max(ins.vertical_force_n())),
                f"pressure_unit = {spec.pressure_unit!r} and area_unit = {spec.area_unit!r}")
    return ins


def _check_peak(p: Path, name: str, peak: float, units: str) -> None:
    lo, hi = _FOOT_PEAK_N
    if not lo <= peak <= hi:
        raise UnitsError(f"{p} [{name}]: the foot's force peaks at {peak:.4g} N, outside what a person puts on one "
                         f"foot ({lo:g}-{hi:g} N); the units look wrong ({units}). Fix: correct the units in the "
                         "insole description")


def read_insoles(paths: str | os.PathLike | Sequence[str | os.PathLike], spec: InsoleSpec,
                 motion_start_s: float = 0.0) -> tuple:
    """Read both insoles of a recording.

    Parameters
    ----------
    paths : path or [left path, right path]
        One CSV with both feet's columns, or one CSV per foot (left first).
    spec : InsoleSpec
        The description (`read_insole_spec` or `insole_spec`).
    motion_start_s : float
        Time of the motion's first frame, s: with ``time_base = "start"`` the first row is put
        there.

    Returns
    -------
    tuple
        (left, right): `liftrisk.core.InsolePressure` (format "pressure": Pa, m², m) or
        `liftrisk.core.InsoleForce` (format "force": N, m), on the motion's clock.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "insoles.csv"
    >>> _ = f.write_text("time,L,R\\n0.00,400,410\\n0.01,395,415\\n")
    >>> s = insole_spec({"left": {"force": "L"}, "right": {"force": "R"}}, format="force", time_column="time")
    >>> left, right = read_insoles(f, s)
    >>> right.vertical_force_n().tolist(), right.foot
    ([410.0, 415.0], 'right')
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    paths = [check_readable(p) for p in paths]
    if len(paths) not in (1, 2):
        raise DataQualityError(f"{len(paths)} insole files given; expected one (both feet) or two (left, then right)")
    tables = [_load_table(p, spec) for p in paths]
    out = []
    times = []
    for k, cols in enumerate(spec.feet):
        p = paths[min(k, len(paths) - 1)]
        data, header = tables[min(k, len(paths) - 1)]
        t = _times(p, data, header, spec, motion_start_s)
        times.append((p, t))
        out.append(_read_foot(p, data, header, t, cols, spec))
    (pl, tl), (pr, tr) = times
    if len(paths) == 2 and tl.size > 1 and tr.size > 1:
        rl, rr = 1.0 / np.median(np.diff(tl)), 1.0 / np.median(np.diff(tr))
        if abs(rl - rr) > 0.01 * max(rl, rr):
            raise DataQualityError(f"{pl} runs at {rl:.4g} Hz, {pr} at {rr:.4g} Hz; the two insoles must be "
                                   "recorded on one clock. Fix: export both at the same rate (or resample one)")
        if min(tl[-1], tr[-1]) - max(tl[0], tr[0]) <= 0:
            raise DataQualityError(f"{pl} ({tl[0]:.3f}-{tl[-1]:.3f} s) and {pr} ({tr[0]:.3f}-{tr[-1]:.3f} s) do not "
                                   "overlap in time. Fix: check time_base and the time columns")
    return tuple(out)
