"""Revised NIOSH Lifting Equation (RNLE): RWL, LI, composite LI.

Source: Waters TR, Putz-Anderson V, Garg A (1994, revised 9/2021). Applications Manual for
the Revised NIOSH Lifting Equation. DHHS (NIOSH) Publication No. 94-110 (public domain).
Tables 1-5 and 7 and the rules are in `liftrisk/data/risk/niosh_*` (see SOURCE.md there).

    RWL = LC x HM x VM x DM x AM x FM x CM,   LI = load / RWL        (manual p. 7)

Metric (LC = 23 kg; H, V, D in cm) and US (LC = 51 lb; in) forms, each with its own
formulas: HM = 25/H, VM = 1 - 0.003|V - 75|, DM = 0.82 + 4.5/D, AM = 1 - 0.0032 A (metric);
HM = 10/H, VM = 1 - 0.0075|V - 30|, DM = 0.82 + 1.8/D (US). FM from Table 5 (linear
interpolation between tabulated frequencies, as in the manual's Example 7), CM from Table 7.

Where the manual's tables differ from the rounded formula (HM 22 in = .46, HM 23 in = .44,
DM 130 cm = .86), an input exactly at that tabulated value gets the table's multiplier.

Inputs outside the equation's limits get the manual's treatment, with a `NioshLimitWarning`:
H < 25 cm (10 in) -> H = 25 (HM = 1, no warning: by definition); H > 63 cm (25 in) -> HM = 0;
V > 175 cm (70 in) -> VM = 0; D < 25 cm -> D = 25; D > 175 cm (70 in) -> DM = 0;
A > 135 deg -> AM = 0; F < 0.2 /min -> F = 0.2; F above Table 5 -> FM = 0.
A multiplier of 0 makes RWL 0 and LI infinite ("the lift should not be done").

Public API works in SI at the edge (`h_m`, `v_m`, `d_m`, `load_kg`) and converts to the
manual's metric units (cm); `rwl_us` takes inches and pounds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from liftrisk.errors import DataQualityError
from liftrisk.risk.tables import read_csv, read_json

LC_KG = 23.0  # load constant, manual p. 7
LC_LB = 51.0
CM_PER_IN = 2.54
KG_PER_LB = 0.45359237
DURATIONS = ("short_le_1h", "moderate_1_to_2h", "long_2_to_8h")


class NioshLimitWarning(UserWarning):
    """An RNLE input is outside the equation's limits; the manual's treatment was applied."""


def _warn(msg: str) -> None:
    warnings.warn(msg, NioshLimitWarning, stacklevel=3)


@cache
def _table(name: str):
    return read_csv(name)


def _round2(x: float) -> float:
    """Round half up to 2 decimals (the manual's tables)."""
    return float(np.floor(x * 100.0 + 0.5 + 1e-9) / 100.0)


@cache
def _exception_rows(table: str, col: str, unit: str, out_col: str) -> tuple[np.ndarray, np.ndarray]:
    """(inputs, published multipliers) of a table's "eq" rows in one unit (read once)."""
    df = _table(table)
    rows = df[(df["unit"] == unit) & (df[df.columns[1]] == "eq")]
    a, b = rows[col].to_numpy(float), rows[out_col].to_numpy(float)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def _table_exception(table: str, col: str, unit: str, value: float, out_col: str, formula: float) -> float:
    """The table's multiplier where it differs from the rounded formula at a tabulated input, else the formula."""
    inputs, outs = _exception_rows(table, col, unit, out_col)
    if np.isfinite(value):  # np.isclose(inputs, value, atol=1e-9) without its per-call overhead (same test)
        hit = np.flatnonzero(np.abs(inputs - value) <= 1e-9 + 1e-5 * abs(value))
    else:
        hit = np.flatnonzero(np.isclose(inputs, value, atol=1e-9))
    if hit.size:
        tab = float(outs[hit[0]])
        if abs(tab - _round2(formula)) > 1e-6:
            return tab
    return formula


def horizontal_multiplier(h: float, unit: str = "cm") -> float:
    """HM for a horizontal location H (cm or in), manual Table 1 / section 1.3.1.

    Parameters
    ----------
    h : float
        Horizontal location H of the hands (cm or in).
    unit : {"cm", "in"}
        Unit of the distance.

    Returns
    -------
    float
        HM (dimensionless, 0-1).

    Examples
    --------
    >>> horizontal_multiplier(20.0), round(horizontal_multiplier(50.0), 4), horizontal_multiplier(22.0, "in")
    (1.0, 0.5, 0.46)
    """
    lo, hi, k = (25.0, 63.0, 25.0) if unit == "cm" else (10.0, 25.0, 10.0)
    if not np.isfinite(h) or h < 0:
        raise DataQualityError(f"H is {h} {unit}; expected a horizontal distance >= 0")
    if h > hi + 1e-9:
        _warn(f"H = {h:g} {unit} is beyond {hi:g} {unit}: HM = 0 (manual p. 8)")
        return 0.0
    h = max(h, lo)
    return _table_exception("niosh_table1_horizontal_multiplier.csv", "H", unit, h, "HM_published", k / h)


def vertical_multiplier(v: float, unit: str = "cm") -> float:
    """VM for a vertical location V of the hands above the floor (cm or in), Table 2.

    Parameters
    ----------
    v : float
        Vertical location V of the hands above the floor (cm or in).
    unit : {"cm", "in"}
        Unit of the distance.

    Returns
    -------
    float
        VM (dimensionless, 0-1).

    Examples
    --------
    >>> round(vertical_multiplier(75.0), 3), round(vertical_multiplier(0.0), 3)
    (1.0, 0.775)
    """
    hi, c, k = (175.0, 75.0, 0.003) if unit == "cm" else (70.0, 30.0, 0.0075)
    if not np.isfinite(v) or v < -1e-9:
        raise DataQualityError(f"V is {v} {unit}; expected a hand height >= 0 above the floor")
    if v > hi + 1e-9:
        _warn(f"V = {v:g} {unit} is above {hi:g} {unit}: VM = 0 (manual p. 9)")
        return 0.0
    return 1.0 - k * abs(v - c)


def distance_multiplier(d: float, unit: str = "cm") -> float:
    """DM for a vertical travel distance D (cm or in), Table 3.

    Parameters
    ----------
    d : float
        Vertical travel distance D (cm or in).
    unit : {"cm", "in"}
        Unit of the distance.

    Returns
    -------
    float
        DM (dimensionless, 0-1).

    Examples
    --------
    >>> distance_multiplier(10.0), distance_multiplier(130.0), round(distance_multiplier(100.0), 3)
    (1.0, 0.86, 0.865)
    """
    lo, hi, k = (25.0, 175.0, 4.5) if unit == "cm" else (10.0, 70.0, 1.8)
    if not np.isfinite(d) or d < 0:
        raise DataQualityError(f"D is {d} {unit}; expected a travel distance >= 0")
    if d > hi + 1e-9:
        _warn(f"D = {d:g} {unit} is beyond {hi:g} {unit}: DM = 0 (manual pp. 10-11)")
        return 0.0
    d = max(d, lo)
    return _table_exception("niosh_table3_distance_multiplier.csv", "D", unit, d, "DM_published", 0.82 + k / d)


def asymmetric_multiplier(a_deg: float) -> float:
    """AM = 1 - 0.0032 A for an asymmetry angle A in degrees (0-135), Table 4.

    Parameters
    ----------
    a_deg : float
        Asymmetry angle A (deg).

    Returns
    -------
    float
        AM (dimensionless, 0-1; 0 beyond 135 deg).

    Examples
    --------
    >>> round(asymmetric_multiplier(90.0), 4)
    0.712
    """
    a = abs(float(a_deg))
    if not np.isfinite(a):
        raise DataQualityError(f"A is {a_deg}; expected an angle in degrees")
    if a > 135.0 + 1e-9:
        _warn(f"A = {a:g} deg is beyond 135 deg: AM = 0 (manual p. 12)")
        return 0.0
    return 1.0 - 0.0032 * a


def duration_class(duration_h: float | str) -> str:
    """Work duration category of Table 5: short (<= 1 h), moderate (1-2 h), long (2-8 h).

    Parameters
    ----------
    duration_h : float or str
        Work duration (h), or a Table 5 duration class.

    Returns
    -------
    str
        ``"short_le_1h"``, ``"moderate_1_to_2h"`` or ``"long_2_to_8h"``.

    Examples
    --------
    >>> duration_class(1.0), duration_class(1.5), duration_class(8.0)
    ('short_le_1h', 'moderate_1_to_2h', 'long_2_to_8h')
    """
    if isinstance(duration_h, str):
        if duration_h not in DURATIONS:
            raise DataQualityError(f"duration is {duration_h!r}; expected hours or one of {DURATIONS}")
        return duration_h
    d = float(duration_h)
    if not np.isfinite(d) or d <= 0:
        raise DataQualityError(f"duration is {duration_h} h; expected a positive number of hours")
    if d > 8.0:
        _warn(f"duration {d:g} h is beyond the 8 h of Table 5; the long-duration column is used")
    return "short_le_1h" if d <= 1.0 else ("moderate_1_to_2h" if d <= 2.0 else "long_2_to_8h")


@cache
def _fm_curve(dur: str, vcls: str) -> tuple[np.ndarray, np.ndarray]:
    """Table 5 column for one duration class and V class: (F, FM) sorted by F (read once)."""
    df = _table("niosh_table5_frequency_multiplier.csv")
    sub = df[(df["duration_class"] == dur) & (df["V_class_at_origin"] == vcls) & (df["F_relation"] != "gt")]
    fs = sub["F_lifts_per_min"].to_numpy(float)
    fm = sub["FM_published"].to_numpy(float)
    order = np.argsort(fs)
    fs, fm = fs[order], fm[order]
    fs.flags.writeable = fm.flags.writeable = False
    return fs, fm


def frequency_multiplier(lifts_per_min: float, duration_h: float | str, v: float, unit: str = "cm") -> float:
    """FM from Table 5 for frequency F (lifts/min), work duration, and V at the ORIGIN.

    Between tabulated frequencies FM is interpolated linearly (manual Example 7).

    Parameters
    ----------
    lifts_per_min : float
        Lifting frequency F (lifts/min).
    duration_h : float or str
        Work duration (h), or a Table 5 duration class.
    v : float
        Vertical location V at the origin (cm or in).
    unit : {"cm", "in"}
        Unit of the distance.

    Returns
    -------
    float
        FM (dimensionless, 0-1).

    Examples
    --------
    >>> frequency_multiplier(2.0, 1.0, 50.0), round(frequency_multiplier(2.4, 8.0, 80.0), 3)
    (0.91, 0.61)
    """
    f = float(lifts_per_min)
    if not np.isfinite(f) or f < 0:
        raise DataQualityError(f"frequency is {lifts_per_min} lifts/min; expected >= 0")
    dur = duration_class(duration_h)
    vlim = 75.0 if unit == "cm" else 30.0
    vcls = "V_lt_30in_75cm" if v < vlim else "V_ge_30in_75cm"
    fs, fm = _fm_curve(dur, vcls)
    if f < fs[0]:
        f = fs[0]       # F < 0.2 -> 0.2 (manual pp. 14-15)
    if f > fs[-1] + 1e-9:
        _warn(f"F = {f:g} lifts/min is beyond Table 5 ({fs[-1]:g}/min): FM = 0")
        return 0.0
    out = float(np.interp(f, fs, fm))
    if out == 0.0:
        _warn(f"F = {f:g} lifts/min for {dur} at V {vcls} has FM = 0 in Table 5")
    return out


def coupling_multiplier(coupling: str, v: float, unit: str = "cm") -> float:
    """CM from Table 7 for coupling good/fair/poor at hand height V.

    Parameters
    ----------
    coupling : {"good", "fair", "poor"}
        Hand-to-object coupling.
    v : float
        Vertical location V of the hands (cm or in).
    unit : {"cm", "in"}
        Unit of the distance.

    Returns
    -------
    float
        CM (dimensionless, 0.90-1).

    Examples
    --------
    >>> coupling_multiplier("fair", 50.0), coupling_multiplier("fair", 80.0)
    (0.95, 1.0)
    """
    table = _coupling_table()
    key = str(coupling).strip().lower()
    if key not in table:
        raise DataQualityError(f"coupling is {coupling!r}; expected good, fair or poor (manual Table 6)")
    vlim = 75.0 if unit == "cm" else 30.0
    return table[key][0 if v < vlim else 1]


@cache
def _coupling_table() -> dict:
    """Table 7 as coupling -> (CM for V < 75 cm, CM for V >= 75 cm) (read once)."""
    df = _table("niosh_table7_coupling_multiplier.csv")
    return {str(r["coupling"]): (float(r["CM_V_lt_30in_75cm"]), float(r["CM_V_ge_30in_75cm"]))
            for _, r in df.iterrows()}


@dataclass(frozen=True)
class RnleResult:
    """RWL and LI of one lift at one point (origin or destination).

    Attributes
    ----------
    rwl : float
        Recommended weight limit, in the unit of the call (kg for `rwl`, lb for `rwl_us`).
    li : float
        Lifting index = load / RWL (dimensionless).
    multipliers : dict
        HM, VM, DM, AM, FM, CM (dimensionless).
    unit : str
        ``"kg"`` or ``"lb"``.
    """

    rwl: float
    li: float
    multipliers: dict = field(default_factory=dict)
    unit: str = "kg"


def _rwl(h, v, d, a_deg, f, duration, coupling, load, v_origin, unit, lc, round_multipliers):
    load = float(load)
    if not np.isfinite(load) or load < 0:
        raise DataQualityError(f"load is {load:g} {'kg' if unit == 'cm' else 'lb'}; expected the weight of the "
                               "object lifted, >= 0 (a negative load would give a negative lifting index)")
    m = {
        "HM": horizontal_multiplier(h, unit), "VM": vertical_multiplier(v, unit),
        "DM": distance_multiplier(d, unit), "AM": asymmetric_multiplier(a_deg),
        "FM": frequency_multiplier(f, duration, v if v_origin is None else v_origin, unit),
        "CM": coupling_multiplier(coupling, v, unit),
    }
    if round_multipliers:
        m = {k: _round2(x) for k, x in m.items()}
    rwl = lc * float(np.prod(list(m.values())))
    li = load / rwl if rwl > 0 else float("inf")
    return RnleResult(rwl=rwl, li=li, multipliers=m, unit="kg" if unit == "cm" else "lb")


def rwl(h_m: float, v_m: float, d_m: float, a_deg: float, lifts_per_min: float, duration_h: float | str,
        coupling: str, load_kg: float, *, v_origin_m: float | None = None,
        round_multipliers: bool = False) -> RnleResult:
    """Recommended weight limit (kg) and lifting index at one point of a lift (metric).

    Parameters
    ----------
    h_m, v_m : float
        Horizontal and vertical hand location at the point evaluated, m.
    d_m : float
        Vertical travel distance of the lift, m.
    a_deg : float
        Asymmetry angle at the point, degrees.
    lifts_per_min : float
        Lifting frequency F.
    duration_h : float or str
        Work duration in hours (or a Table 5 duration class).
    coupling : {"good", "fair", "poor"}
        Hand-to-object coupling.
    load_kg : float
        Weight of the object lifted, kg.
    v_origin_m : float, optional
        V at the origin when the point evaluated is the destination (FM uses V at the origin).
    round_multipliers : bool
        Round each multiplier to 2 decimals as on the manual's worksheets (p. 29).

    Returns
    -------
    RnleResult
        RWL (kg), LI (dimensionless) and the multipliers.

    Examples
    --------
    >>> r = rwl(0.25, 0.75, 0.25, 0.0, 0.2, 1.0, "good", 10.0)
    >>> r.rwl, round(r.li, 3)
    (23.0, 0.435)
    """
    for name, val in (("h_m", h_m), ("v_m", v_m), ("d_m", d_m)):
        if np.isfinite(val) and abs(val) > 10:
            raise DataQualityError(f"{name} is {val}; expected metres (did you pass cm?)")
    vo = None if v_origin_m is None else 100.0 * v_origin_m
    return _rwl(100.0 * h_m, 100.0 * v_m, 100.0 * d_m, a_deg, lifts_per_min, duration_h, coupling, load_kg,
                vo, "cm", LC_KG, round_multipliers)


def rwl_us(h_in: float, v_in: float, d_in: float, a_deg: float, lifts_per_min: float, duration_h: float | str,
           coupling: str, load_lb: float, *, v_origin_in: float | None = None,
           round_multipliers: bool = False) -> RnleResult:
    """RWL (lb) and LI with the manual's US-unit formulas (inches, pounds).

    Parameters
    ----------
    h_in, v_in : float
        Horizontal and vertical hand location at the point evaluated (in).
    d_in : float
        Vertical travel distance (in).
    a_deg : float
        Asymmetry angle (deg).
    lifts_per_min : float
        Lifting frequency F (lifts/min).
    duration_h : float or str
        Work duration (h), or a Table 5 duration class.
    coupling : {"good", "fair", "poor"}
        Hand-to-object coupling.
    load_lb : float
        Weight of the object lifted (lb).
    v_origin_in : float, optional
        V at the origin when the point evaluated is the destination (in).
    round_multipliers : bool
        Round each multiplier to 2 decimals as on the manual's worksheets.

    Returns
    -------
    RnleResult
        RWL (lb), LI (dimensionless) and the multipliers.

    Examples
    --------
    >>> r = rwl_us(10.0, 30.0, 10.0, 0.0, 0.2, 1.0, "good", 51.0)
    >>> r.rwl, r.li
    (51.0, 1.0)
    """
    return _rwl(h_in, v_in, d_in, a_deg, lifts_per_min, duration_h, coupling, load_lb, v_origin_in, "in",
                LC_LB, round_multipliers)


@dataclass(frozen=True)
class NioshTask:
    """One lifting task of a job, metric, for the composite lifting index.

    Attributes
    ----------
    load_kg : float
        Average load (kg; STLI), as the manual's pp. 27 and 74 define it.
    origin : tuple
        (h_m, v_m, a_deg) at the origin (m, m, deg).
    d_m : float
        Vertical travel distance (m).
    lifts_per_min : float
        Frequency (lifts/min).
    coupling : {"good", "fair", "poor"}
        Hand-to-object coupling.
    destination : tuple or None
        (h_m, v_m, a_deg) at the destination; None = no significant control there (only the
        origin is evaluated).
    max_load_kg : float or None
        Maximum load (kg; FILI); None = the average.
    """

    load_kg: float
    origin: tuple
    d_m: float
    lifts_per_min: float
    coupling: str = "good"
    destination: tuple | None = None
    max_load_kg: float | None = None


def task_indices(task: NioshTask, duration_h: float | str) -> dict:
    """FIRWL, STRWL, FILI, STLI of one task (worst of origin/destination), manual p. 26-28.

    FIRWL is the RWL with FM = 1; STRWL is the RWL with the task's own FM.

    Parameters
    ----------
    task : NioshTask
        The task (SI).
    duration_h : float or str
        Work duration (h), or a Table 5 duration class.

    Returns
    -------
    dict
        ``FIRWL``, ``STRWL`` (kg), ``FILI``, ``STLI`` (dimensionless) and the frequency.

    Examples
    --------
    >>> t = NioshTask(load_kg=10.0, origin=(0.25, 0.75, 0.0), d_m=0.25, lifts_per_min=1.0)
    >>> ix = task_indices(t, 1.0)
    >>> ix["FIRWL"], round(ix["STRWL"], 2)
    (23.0, 21.62)
    """
    points = [task.origin] + ([task.destination] if task.destination is not None else [])
    best = None
    v_origin = task.origin[1]
    for h, v, a in points:
        st = rwl(h, v, task.d_m, a, task.lifts_per_min, duration_h, task.coupling, task.load_kg,
                 v_origin_m=v_origin)
        fi = st.rwl / st.multipliers["FM"] if st.multipliers["FM"] > 0 else 0.0
        if best is None or st.rwl < best["STRWL"]:
            best = {"STRWL": st.rwl, "FIRWL": fi, "FM": st.multipliers["FM"]}
    lmax = task.load_kg if task.max_load_kg is None else task.max_load_kg
    best["STLI"] = task.load_kg / best["STRWL"] if best["STRWL"] > 0 else float("inf")
    best["FILI"] = lmax / best["FIRWL"] if best["FIRWL"] > 0 else float("inf")
    return best


def composite_lifting_index(tasks: list[NioshTask], duration_h: float | str) -> dict:
    """Composite lifting index of a multi-task job (manual p. 28).

    Tasks are renumbered by decreasing STLI (ties: the more frequent task first, p. 57); then
    ``CLI = STLI_1 + sum_k FILI_k (1/FM(F_1 + ... + F_k) - 1/FM(F_1 + ... + F_{k-1}))``,
    each cumulative FM from Table 5 at the summed frequency, the job duration and the
    vertical location (origin) of task k.

    Parameters
    ----------
    tasks : list of NioshTask
        The tasks of the job (SI).
    duration_h : float or str
        Work duration (h), or a Table 5 duration class.

    Returns
    -------
    dict with CLI, order (indices of the tasks in the order used) and per-task indices.

    Examples
    --------
    >>> t1 = NioshTask(10.0, (0.25, 0.75, 0.0), 0.25, 1.0)
    >>> round(composite_lifting_index([t1], 1.0)["CLI"], 4) == round(task_indices(t1, 1.0)["STLI"], 4)
    True
    """
    if not tasks:
        raise DataQualityError("no tasks given; expected at least one NioshTask")
    ix = [task_indices(t, duration_h) for t in tasks]
    order = sorted(range(len(tasks)), key=lambda i: (-ix[i]["STLI"], -tasks[i].lifts_per_min))
    cli = ix[order[0]]["STLI"]
    f_sum = tasks[order[0]].lifts_per_min
    for k in order[1:]:
        v_k = 100.0 * tasks[k].origin[1]
        fm_prev = frequency_multiplier(f_sum, duration_h, v_k)
        f_sum += tasks[k].lifts_per_min
        fm_now = frequency_multiplier(f_sum, duration_h, v_k)
        if fm_now == 0.0 or fm_prev == 0.0:
            return {"CLI": float("inf"), "order": order, "tasks": ix}
        cli += ix[k]["FILI"] * (1.0 / fm_now - 1.0 / fm_prev)
    return {"CLI": cli, "order": order, "tasks": ix}


def li_category(li: float) -> str:
    """Interpretation of an LI (manual p. 20): <= 1 acceptable, 1-3 increased, > 3 high.

    Parameters
    ----------
    li : float
        Lifting index (dimensionless).

    Returns
    -------
    str
        ``"design goal (LI <= 1)"``, ``"increased risk (1 < LI <= 3)"`` or
        ``"high risk (LI > 3)"``; ``"not determined (no LI)"`` for NaN or None (a missing
        measurement is not a risk level).

    Examples
    --------
    >>> li_category(0.8), li_category(2.0), li_category(3.5), li_category(float("nan"))
    ('design goal (LI <= 1)', 'increased risk (1 < LI <= 3)', 'high risk (LI > 3)', 'not determined (no LI)')
    """
    if li is None or np.isnan(li):
        return "not determined (no LI)"
    if li <= 1.0:
        return "design goal (LI <= 1)"
    return "increased risk (1 < LI <= 3)" if li <= 3.0 else "high risk (LI > 3)"


def rules() -> dict:
    """The manual's rules and limits as stored in the package (niosh_rnle_rules_and_examples.json).

    Returns
    -------
    dict
        The JSON's rules, limits and notes, as stored.

    Examples
    --------
    >>> isinstance(rules(), dict)
    True
    """
    return read_json("niosh_rnle_rules_and_examples.json")
