"""Liberty Mutual manual materials handling equations (Potvin et al. 2021).

Potvin JR, Ciriello VM, Snook SH, Maynard WS, Brogmus GE (2021) The Liberty Mutual manual
materials handling (LM-MMH) equations. Ergonomics 64(8):955-970 (open access, CC BY-NC-ND).

Maximum acceptable load (MAL, kg, 50th percentile = 50 % capable) of 14 equations,
female and male (sections 3.1-3.3):

    lift, lower:         MAL = RL x H_SF x VRM_SF x DV_SF x F_SF
    push, pull, carry:   MAL = RL x V_SF x DH_SF x F_SF

each scale factor SF = c + x / d1 + x^2 / d2, where x is the variable (H, VRM, DV, V, DH in
m, F per minute) or its natural logarithm, as printed for each equation
(``data/job/lm_mmh_scale_factors.csv``). The printed "ln(F)^2" terms are read as
(ln F)^2: the paper fits polynomials in the log of the variables and normalises every
scale factor to at most 1.0 (section 2.3); the other reading, ln(F^2), would give
F_SF = 1.22 at one lift a day (tested). DV = |V_origin - V_destination|,
VRM = (V_origin + V_destination) / 2 (Figure 1). The female push/pull equations serve
for female pull with their own CVs (section 2.3.2). For lift and lower without handles
the paper recommends an extra coupling factor 0.84, with poor handles or a slippery hold
0.925 (section 4.3).

Population percentiles (section 3.4): SD = CV x MAL; the load acceptable to p % of the
population is MAL (1 - CV z_p) with z_p the standard normal quantile of p; the percent
capable of a load L is 100 (1 - Phi((L - MAL) / (CV MAL))) (81.0 % of females for the
paper's worked example). Inputs outside the printed ranges (PDF pp. 9-11) are refused
with the range, never extrapolated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy.stats import norm

from liftrisk.errors import DataQualityError
from liftrisk.job._tables import lm_mmh_table

__all__ = ["HANDLE_FACTOR", "MalResult", "OutOfRangeError", "TASKS", "equation_key", "lift_lower_mal",
           "push_pull_carry_mal", "scale_factor"]

TASKS = ("lift", "lower", "push", "pull", "carry")
HANDLE_FACTOR = {"handles": 1.0, "poor_or_slippery": 0.925, "none": 0.84}  # Potvin 2021 sec. 4.3


class OutOfRangeError(DataQualityError):
    """A task variable is outside the range the LM-MMH equations were developed for.

    Examples
    --------
    >>> try:
    ...     lift_lower_mal("lift", "female", 0.9, 0.3, 1.0, 1.0)
    ... except OutOfRangeError as e:
    ...     "H = 0.9 m" in str(e)
    True
    """


def equation_key(task: str, sex: str, variant: str = "") -> str:
    """Name of the equation for a task (lift, lower, push, pull, carry), variant
    (initial/sustained, push and pull only) and sex.

    Parameters
    ----------
    task : {'lift', 'lower', 'push', 'pull', 'carry'}
    sex : {'female', 'male'}
    variant : {'initial', 'sustained'} for push and pull, else ''

    Returns
    -------
    str
        Key of the equation in ``data/job/lm_mmh_equations.csv``.

    Examples
    --------
    >>> equation_key("push", "female", "initial"), equation_key("lift", "male")
    ('push_initial_female', 'lift_male')
    """
    if task not in TASKS:
        raise DataQualityError(f"task {task!r}; expected one of {TASKS}")
    if sex not in ("female", "male"):
        raise DataQualityError(f"sex {sex!r}; expected 'female' or 'male'")
    if task in ("push", "pull"):
        if variant not in ("initial", "sustained"):
            raise DataQualityError(f"{task}: variant {variant!r}; expected 'initial' or 'sustained'")
        return f"{task}_{variant}_{sex}"
    return f"{task}_{sex}"


def scale_factor(equation: str, factor: str, x) -> np.ndarray:
    """One printed scale factor of an equation at x (m or per minute).

    Parameters
    ----------
    equation : str
        Equation key (`equation_key`).
    factor : str
        'H_SF', 'VRM_SF', 'DV_SF', 'V_SF', 'DH_SF' or 'F_SF'.
    x : float or array
        The variable, m (H, VRM, DV, V, DH) or per minute (F).

    Returns
    -------
    numpy.ndarray
        The scale factor (dimensionless).

    Examples
    --------
    >>> round(float(scale_factor("lift_female", "H_SF", 0.38)), 3)   # Potvin 2021 sec. 3.4: 0.766
    0.766
    """
    r = _sf_rows().get((equation, factor))
    if r is None:
        raise DataQualityError(f"equation {equation!r} has no scale factor {factor!r}")
    x = np.asarray(x, float)
    u = np.log(x) if r["transform"] == "ln" else x
    out = np.full(u.shape, float(r["constant"]))
    if np.isfinite(r["divisor_1"]):
        out = out + u / r["divisor_1"]
    if np.isfinite(r["divisor_2"]):
        out = out + u * u / r["divisor_2"]
    return out


@cache
def _sf_rows() -> dict:
    t = lm_mmh_table("lm_mmh_scale_factors.csv")
    return {(r["equation"], r["factor"]): r for r in t.to_dict("records")}


@cache
def _row(equation: str) -> dict:
    t = lm_mmh_table("lm_mmh_equations.csv")
    r = t[t["equation"] == equation]
    if r.empty:
        raise DataQualityError(f"unknown LM-MMH equation {equation!r}")
    return r.iloc[0].to_dict()


@cache
def _limits(family: str, sex: str) -> dict:
    t = lm_mmh_table("lm_mmh_limits.csv")
    t = t[(t["family"] == family) & t["sex"].isin([sex, "any"])]
    return {r.quantity: (r.minimum, r.maximum) for r in t.itertuples()}


def _check(name: str, value: float, lo: float, hi: float, unit: str, sex: str) -> None:
    if (np.isfinite(lo) and value < lo - 1e-12) or (np.isfinite(hi) and value > hi + 1e-12):
        rng = (f"{lo:g}-{hi:g}" if np.isfinite(lo) and np.isfinite(hi) else
               (f">= {lo:g}" if np.isfinite(lo) else f"<= {hi:g}"))
        raise OutOfRangeError(f"{name} = {value:.3g} {unit} is outside the LM-MMH range for {sex}s ({rng} {unit}, "
                              "Potvin et al. 2021 pp. 9-11); the equations are not extrapolated")


@dataclass(frozen=True)
class MalResult:
    """Maximum acceptable load (kg) of one task for one sex, with its scale factors.

    Attributes
    ----------
    equation : str
        Which LM-MMH equation (e.g. ``"lift_female"``).
    mal_kg : float
        Maximum acceptable load of the 50th percentile worker (kg or kgf).
    cv : float
        Coefficient of variation of the population (dimensionless).
    scale_factors : dict
        Factor name -> value (dimensionless).
    handle_factor : float
        Handle (coupling) factor (dimensionless).

    Examples
    --------
    >>> r = MalResult("lift_female", 34.9, 0.260)
    >>> round(r.sd_kg, 3), round(float(r.percent_capable(34.9)), 1)
    (9.074, 50.0)
    """

    equation: str
    mal_kg: float
    cv: float
    scale_factors: dict = field(default_factory=dict)
    handle_factor: float = 1.0

    @property
    def sd_kg(self) -> float:
        """Standard deviation of the MAL across the population, kg (CV x MAL)."""
        return self.cv * self.mal_kg

    def load_at_percent_capable(self, percent) -> np.ndarray:
        """Load (kg) acceptable to `percent` % of the population: MAL (1 - CV z).

        Examples
        --------
        >>> r = lift_lower_mal("lift", "female", 0.38, 0.775, 1.285, 1.0)
        >>> round(float(r.load_at_percent_capable(75.0)), 2)   # Potvin 2021 sec. 3.4: 12.83 kg
        12.83
        """
        p = np.asarray(percent, float)
        if np.any((p <= 0) | (p >= 100)):
            raise DataQualityError(f"percent capable {percent}; expected 0 < p < 100")
        return self.mal_kg * (1.0 - self.cv * norm.ppf(p / 100.0))

    def percent_capable(self, load_kg) -> np.ndarray:
        """Percent of the population for whom `load_kg` is acceptable (0-100).

        Examples
        --------
        >>> r = lift_lower_mal("lift", "female", 0.38, 0.775, 1.285, 1.0)
        >>> round(float(r.percent_capable(12.0)), 1)   # Potvin 2021 sec. 3.4: 81.0 %
        81.0
        """
        load = np.asarray(load_kg, float)
        if np.any(load < 0):
            raise DataQualityError(f"load {load_kg} kg; expected >= 0")
        return 100.0 * norm.sf((load - self.mal_kg) / self.sd_kg)


def lift_lower_mal(task: str, sex: str, h_m: float, v_origin_m: float, v_destination_m: float,
                   lifts_per_min: float, handles: str = "handles") -> MalResult:
    """MAL (kg) of a two-handed lift or lower (Potvin et al. 2021, section 3.1).

    Parameters
    ----------
    task : {"lift", "lower"}
    sex : {"female", "male"}
    h_m : float
        Horizontal reach, mid-ankles to the hands' midpoint, m (the mean or maximum over
        the lift, as the paper allows).
    v_origin_m, v_destination_m : float
        Hands' height above the floor at the origin and destination, m.
    lifts_per_min : float
        Frequency F (1/480 to 20 per minute).
    handles : {"handles", "poor_or_slippery", "none"}
        Coupling; without good handles the paper's coupling factor (0.925 / 0.84) applies.

    Returns
    -------
    MalResult
        MAL (kg, 50 % capable), CV, scale factors and coupling factor.

    Examples
    --------
    >>> round(lift_lower_mal("lift", "female", 0.38, 0.775, 1.285, 1.0).mal_kg, 2)   # paper: 15.56 kg
    15.56
    """
    if task not in ("lift", "lower"):
        raise DataQualityError(f"task {task!r}; expected 'lift' or 'lower'")
    if handles not in HANDLE_FACTOR:
        raise DataQualityError(f"handles {handles!r}; expected one of {tuple(HANDLE_FACTOR)}")
    eq = equation_key(task, sex)
    dv = abs(v_origin_m - v_destination_m)
    vrm = 0.5 * (v_origin_m + v_destination_m)
    lim = _limits("lift_lower", sex)
    _check("H", h_m, *lim["H"], "m", sex)
    reach = lim["arm_reach"][1]
    _check("DV", dv, lim["DV"][0], reach, "m", sex)
    _check("highest hand position VRM + DV/2", vrm + dv / 2, np.nan, reach, "m", sex)
    _check("F", lifts_per_min, *lim["F"], "/min", sex)
    _check("mean vertical velocity DV x F", dv * lifts_per_min, *lim["DV_x_F"], "m/min", sex)
    sf = {"H_SF": float(scale_factor(eq, "H_SF", h_m)), "VRM_SF": float(scale_factor(eq, "VRM_SF", vrm)),
          "DV_SF": float(scale_factor(eq, "DV_SF", dv)), "F_SF": float(scale_factor(eq, "F_SF", lifts_per_min))}
    r = _row(eq)
    k = HANDLE_FACTOR[handles]
    return MalResult(eq, float(r["reference_load_kg"]) * float(np.prod(list(sf.values()))) * k, float(r["cv"]), sf, k)


def push_pull_carry_mal(task: str, sex: str, v_m: float, distance_m: float, per_min: float,
                        variant: str = "") -> MalResult:
    """MAL (kg; for push/pull the acceptable initial or sustained force in kgf) of a push,
    pull or carry (Potvin et al. 2021, sections 3.2-3.3).

    Parameters
    ----------
    task : {'push', 'pull', 'carry'}
    sex : {'female', 'male'}
    v_m : float
        Hands' height above the floor, m.
    distance_m : float
        Distance per push, pull or carry, m.
    per_min : float
        Frequency, per minute.
    variant : {'initial', 'sustained'}
        Push and pull only.

    Returns
    -------
    MalResult
        MAL (kg or kgf, 50 % capable), CV and scale factors.

    Examples
    --------
    >>> r = push_pull_carry_mal("carry", "male", 0.9, 5.0, 1.0)
    >>> r.equation, 0 < r.mal_kg < 74.9
    ('carry_male', True)
    """
    eq = equation_key(task, sex, variant)
    family = "carry" if task == "carry" else "push_pull"
    lim = _limits(family, sex)
    _check("V", v_m, *lim["V"], "m", sex)
    _check("DH", distance_m, *lim["DH"], "m", sex)
    _check("F", per_min, *lim["F"], "/min", sex)
    _check("mean horizontal velocity DH x F", distance_m * per_min, *lim["DH_x_F"], "m/min", sex)
    sf = {"V_SF": float(scale_factor(eq, "V_SF", v_m)), "DH_SF": float(scale_factor(eq, "DH_SF", distance_m)),
          "F_SF": float(scale_factor(eq, "F_SF", per_min))}
    r = _row(eq)
    return MalResult(eq, float(r["reference_load_kg"]) * float(np.prod(list(sf.values()))), float(r["cv"]), sf)
