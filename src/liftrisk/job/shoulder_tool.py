"""The Shoulder Tool (Bani Hani et al. 2021) and liftrisk's measured-moment extension.

Bani Hani D, Huangfu R, Sesek R, Schall MC Jr, Davis GA, Gallagher S (2021) Development and
validation of a cumulative exposure shoulder risk assessment tool based on fatigue failure
theory. Ergonomics 64(1):39-54.

    S   = 100 x shoulder moment / shoulder strength           (% of ultimate strength)
    N   = 10 ** ((101.25 - S) / 14.83)                      (eq. 1, tendon S-N curve of
                                                              Schechtman & Bader 1997)
    CD  = sum of n_i / N_i                                   (eq. 2)
    P   = exp(Y) / (1 + exp(Y)),  Y = b0 + b1 log10(CD)      (eqs. 3-4)

The paper names but does not print the strength (3DSSPP, 50th percentile male, standing,
mean of both shoulders), the forearm-and-hand moment and b0, b1. They are taken from the
authors' Shoulder Tool workbook v1.0.0: strength 681 in·lbf; for "handling a load" the arm
moment (in·lbf) is 0 below a 1.715 in lever arm, -8.27 + 4.8223 x lever arm (in) up to
27 in and 121.9 above; b0 = 0.864, b1 = 0.928 (probability of a first-time clinic visit
for a shoulder disorder; the same crude model is tabulated in Bani Hani's 2019
dissertation). The job value is the larger of the left and right shoulders' CD (paper,
section 2.3). Green <= 25 %, red >= 50 % (paper, p. 51-52).

**Measured-moment extension (liftrisk).** The measured peak shoulder flexion moment of a
lift (inverse dynamics: load, arm weight and inertia) replaces load x lever arm + arm
moment. Not validated by the tool's authors; reported separately.
"""

from __future__ import annotations

import numpy as np

from liftrisk.errors import DataQualityError
from liftrisk.job._tables import fatigue_constants, logistic_of_log_damage
from liftrisk.job.lifft import G_M_S2

__all__ = ["NM_PER_IN_LBF", "arm_moment_nm", "damage_per_cycle", "handling_moment_nm", "job_damage",
           "probability_outcome", "risk_band"]

NM_PER_IN_LBF = 0.0254 * 0.45359237 * G_M_S2  # 0.1129848290276167 N·m per in·lbf


def arm_moment_nm(lever_arm_m) -> np.ndarray:
    """Moment of the forearm and hand about the shoulder (N·m) for a horizontal lever arm (m).

    Parameters
    ----------
    lever_arm_m : float or array
        Horizontal distance shoulder -> hands, m.

    Returns
    -------
    numpy.ndarray
        Moment of the forearm and hand about the shoulder, N·m.

    Examples
    --------
    >>> round(float(arm_moment_nm(0.0)), 3), round(float(arm_moment_nm(1.0)), 2)
    (0.0, 13.77)
    """
    c = fatigue_constants()["shoulder_tool"]["arm_moment_in_lbf"]
    x_in = np.asarray(lever_arm_m, float) / 0.0254
    m = np.where(x_in < c["below_in"], 0.0,
                 np.where(x_in >= c["above_in"], c["constant_above"], c["intercept"] + c["slope_per_in"] * x_in))
    return m * NM_PER_IN_LBF


def handling_moment_nm(load_n_per_hand, lever_arm_m) -> np.ndarray:
    """Shoulder moment of a "handling a load" task (N·m): load x lever arm + arm moment.

    Parameters
    ----------
    load_n_per_hand : float or array
        Weight or force on one hand, N.
    lever_arm_m : float or array
        Horizontal distance shoulder -> hand, m.

    Returns
    -------
    numpy.ndarray
        Shoulder moment, N·m.

    Examples
    --------
    >>> round(float(handling_moment_nm(9.0, 0.41)), 2)
    11.55
    """
    f = np.asarray(load_n_per_hand, float)
    if np.any(f < 0):
        raise DataQualityError(f"load per hand {load_n_per_hand} N; expected >= 0")
    return f * np.asarray(lever_arm_m, float) + arm_moment_nm(lever_arm_m)


def damage_per_cycle(shoulder_moment_nm) -> np.ndarray:
    """Damage per exertion at a shoulder moment (N·m): 1 / cycles to failure (eq. 1).

    Parameters
    ----------
    shoulder_moment_nm : float or array
        Shoulder moment of one exertion, N·m (sign ignored).

    Returns
    -------
    numpy.ndarray
        Damage per exertion (1 / cycles to failure).

    Examples
    --------
    >>> float(damage_per_cycle(0.0)) < float(damage_per_cycle(20.0))
    True
    """
    c = fatigue_constants()["shoulder_tool"]
    strength_nm = c["shoulder_strength_in_lbf"] * NM_PER_IN_LBF
    s = 100.0 * np.abs(np.asarray(shoulder_moment_nm, float)) / strength_nm
    return 10.0 ** (-(c["sn_intercept_percent"] - s) / c["sn_slope_percent_per_log10_cycles"])


def probability_outcome(cd) -> np.ndarray:
    """Probability (0-1) of a first-time clinic visit for a shoulder disorder (eqs. 3-4).

    Parameters
    ----------
    cd : float or array
        Cumulative damage of the job (the larger shoulder).

    Returns
    -------
    numpy.ndarray
        Probability 0-1 (0 where cd = 0).

    Examples
    --------
    >>> round(float(probability_outcome(0.00428)), 3)
    0.208
    """
    return logistic_of_log_damage(cd, "shoulder_tool")


def risk_band(probability: float) -> str:
    """Green (<= 25 %), yellow-orange, red (>= 50 %), Bani Hani et al. (2021) pp. 51-52.

    Parameters
    ----------
    probability : float
        Probability 0-1.

    Returns
    -------
    str
        'green', 'yellow-orange' or 'red'.

    Examples
    --------
    >>> risk_band(0.2), risk_band(0.3), risk_band(0.5)
    ('green', 'yellow-orange', 'red')
    """
    b = fatigue_constants()["shoulder_tool"]["bands_percent"]
    p = 100.0 * float(probability)
    return "green" if p <= b["low_at_most"] else ("red" if p >= b["high_at_least"] else "yellow-orange")


def job_damage(moments_nm_by_side: dict, repetitions_per_day) -> dict:
    """CD of each shoulder ({"left": moments, "right": moments}, one per task) and the job's
    (the larger of the two).

    Parameters
    ----------
    moments_nm_by_side : dict
        ``side -> per-task shoulder moments`` (N·m).
    repetitions_per_day : array
        Per-task exertions per day.

    Returns
    -------
    dict
        Cumulative damage of each side and ``job`` (the larger).

    Examples
    --------
    >>> d = job_damage({"left": [5.0], "right": [10.0]}, [1000])
    >>> d["job"] == d["right"] > d["left"]
    True
    """
    n = np.asarray(repetitions_per_day, float)
    out = {side: float(np.sum(damage_per_cycle(m) * n)) for side, m in moments_nm_by_side.items()}
    out["job"] = max(out.values()) if out else 0.0
    return out
