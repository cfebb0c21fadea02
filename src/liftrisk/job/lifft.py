"""LiFFT, the Lifting Fatigue Failure Tool (Gallagher et al. 2017), and liftrisk's
measured-moment extension of it.

Gallagher S, Sesek RF, Schall MC Jr, Huangfu R (2017) Development and validation of an
easy-to-use risk assessment tool for cumulative low back loading: the Lifting Fatigue
Failure Tool (LiFFT). Applied Ergonomics 63:142-150.

Per lifting task the tool needs the load, the maximum horizontal distance from L5/S1 to the
load's centre during the lift and the repetitions per day (Gallagher 2017, section 2.2):

    PLM  = load weight x maximum horizontal distance                  (N·m)
    DPC  = 10 ** (a + b PLM_ftlbf)          damage per cycle (authors' LiFFT v1.4.0 workbook)
    CD   = sum over tasks of DPC x repetitions per day                (Palmgren-Miner)
    P    = exp(Y) / (1 + exp(Y)),  Y = b0 + b1 log10(CD)   probability of a high-risk job

with a = -5.81636221052493, b = 0.0222878437409416 per ft·lbf, b0 = 1.7229, b1 = 1.0239
(the authors' workbook, cells L5 and N35). The paper prints the fatigue curve (eq. 1,
cycles to failure = 902,416 exp(-0.162 %US)) but neither the moment-to-damage regression
nor the risk coefficients; Zelik et al. (2022, Applied Ergonomics 99:103619, same authors)
print both with rounded constants, quoted as DPC = exp(0.038 PLM + 0.32) / 902,416 (see
data/job/SOURCE.md on the quoted constant) and Y = 1.72 + 1.03 log10(CD); the two forms
agree within 1.5 % and 1 point (tested). A "high-risk job" is
one with at least 12 injuries per 200,000 h (Marras et al. 1993). Bands (section 2.2):
low < 25 %, moderate 25-50 %, high > 50 %. The authors advise caution above a peak moment
of 100 N·m (section 5).

**Measured-moment extension (liftrisk, not part of LiFFT).** LiFFT's PLM is the load's
static moment about L5/S1; it leaves out the upper body's own weight and all inertia.
`damage_per_cycle` accepts any moment, so liftrisk also feeds it each lift's measured peak
L5/S1 extension moment (inverse dynamics). This reuses a curve that was fitted to load
moments: the result is NOT LiFFT's validated risk (the measured moment is several times
the load moment, and the risk curve was never calibrated on it); it is reported separately
and labelled as the extension.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftrisk.errors import DataQualityError
from liftrisk.job._tables import fatigue_constants, logistic_of_log_damage

__all__ = ["G_M_S2", "LifftResult", "LifftTask", "NM_PER_FT_LBF", "assess_tasks", "cumulative_damage",
           "damage_per_cycle", "peak_load_moment_nm", "probability_high_risk", "risk_band"]

G_M_S2 = 9.80665  # standard gravity: kilogram-force -> newton
NM_PER_FT_LBF = 0.3048 * 0.45359237 * G_M_S2  # 1.3558179483314004 N·m per ft·lbf (exact by definition)


def peak_load_moment_nm(load_kg, max_horizontal_distance_m) -> np.ndarray:
    """LiFFT peak load moment (N·m): load weight x maximum horizontal L5/S1-to-load distance.

    Parameters
    ----------
    load_kg : float or array
        Mass of the load, kg.
    max_horizontal_distance_m : float or array
        Largest horizontal distance from L5/S1 to the load's centre during the lift, m.

    Returns
    -------
    numpy.ndarray
        Peak load moment, N·m (weight = mass x 9.80665 m/s²).

    Examples
    --------
    >>> round(float(peak_load_moment_nm(13.0, 0.40)), 1)   # Gallagher 2017 sec. 2.2: "51 Nm"
    51.0
    """
    m = np.asarray(load_kg, float)
    d = np.asarray(max_horizontal_distance_m, float)
    if np.any(m < 0) or np.any(d < 0) or not np.all(np.isfinite(m)) or not np.all(np.isfinite(d)):
        raise DataQualityError(f"load {load_kg} kg / distance {max_horizontal_distance_m} m: expected finite "
                               "values >= 0")
    return m * G_M_S2 * d


def damage_per_cycle(moment_nm) -> np.ndarray:
    """Damage per lift for a peak moment about L5/S1 (N·m), LiFFT v1.4.0 relationship.

    Parameters
    ----------
    moment_nm : float or array
        Peak moment about L5/S1 of one lift, N·m.

    Returns
    -------
    numpy.ndarray
        Damage per lift (dimensionless; 1 = median fatigue life).

    Examples
    --------
    >>> float(damage_per_cycle(51.0)) < 1.1e-5 < float(damage_per_cycle(53.0))   # paper: "0.000011"
    True
    """
    c = fatigue_constants()["lifft"]
    m = np.asarray(moment_nm, float)
    if not np.all(np.isfinite(m)):
        raise DataQualityError(f"moment {moment_nm} N·m; expected finite values")
    return 10.0 ** (c["dpc_log10_intercept"] + c["dpc_log10_slope_per_ft_lbf"] * m / NM_PER_FT_LBF)


def cumulative_damage(moment_nm, repetitions_per_day) -> float:
    """Daily cumulative damage: sum of DPC x repetitions over tasks (Palmgren-Miner).

    Parameters
    ----------
    moment_nm : array
        Each task's peak moment, N·m.
    repetitions_per_day : array
        Each task's lifts per day.

    Returns
    -------
    float
        Daily cumulative damage (dimensionless).

    Examples
    --------
    >>> round(cumulative_damage([51.0], [400]), 4)
    0.0042
    """
    n = np.asarray(repetitions_per_day, float)
    if np.any(n < 0) or not np.all(np.isfinite(n)):
        raise DataQualityError(f"repetitions per day {repetitions_per_day}; expected counts >= 0")
    return float(np.sum(damage_per_cycle(moment_nm) * n))


def probability_high_risk(cd) -> np.ndarray:
    """Probability (0-1) that a job with daily cumulative damage `cd` is a high-risk job.

    Parameters
    ----------
    cd : float or array
        Daily cumulative damage (>= 0).

    Returns
    -------
    numpy.ndarray
        Probability 0-1 (0 where cd = 0).

    Examples
    --------
    >>> round(float(probability_high_risk(0.03)), 3)
    0.541
    """
    return logistic_of_log_damage(cd, "lifft")


def risk_band(probability: float) -> str:
    """LiFFT colour band (Gallagher 2017, sec. 2.2): low < 25 %, moderate 25-50 %, high > 50 %.

    Parameters
    ----------
    probability : float
        Probability 0-1.

    Returns
    -------
    str
        'low', 'moderate' or 'high'.

    Examples
    --------
    >>> risk_band(0.2), risk_band(0.35), risk_band(0.6)
    ('low', 'moderate', 'high')
    """
    b = fatigue_constants()["lifft"]["bands_percent"]
    p = 100.0 * float(probability)
    return "low" if p < b["low_below"] else ("high" if p > b["high_above"] else "moderate")


@dataclass(frozen=True)
class LifftTask:
    """One LiFFT task: a moment about L5/S1 (N·m) repeated `repetitions_per_day` times.

    Attributes
    ----------
    name : str
        Task name.
    moment_nm : float
        Peak L5/S1 moment of one repetition (N·m).
    repetitions_per_day : float
        Repetitions per day (count).

    Examples
    --------
    >>> LifftTask("pallet", 51.0, 400).repetitions_per_day
    400
    """

    name: str
    moment_nm: float
    repetitions_per_day: float


@dataclass(frozen=True)
class LifftResult:
    """Per-task damage and share, job cumulative damage, probability and band.

    Attributes
    ----------
    tasks : tuple of LifftTask
        The tasks.
    damage : tuple of float
        Cumulative damage of each task (dimensionless).
    share_percent : tuple of float
        Share of each task in the job's damage (%).
    cumulative_damage : float
        Job cumulative damage (dimensionless).
    probability : float
        Probability of a high-risk job (0-1).
    band : str
        ``"low"``, ``"moderate"`` or ``"high"``.
    cautions : tuple of str
        Plain-language cautions (e.g. moments outside the tool's range).

    Examples
    --------
    >>> r = assess_tasks([LifftTask("a", 30.0, 100), LifftTask("b", 60.0, 100)])
    >>> round(sum(r.share_percent), 6), r.band in ("low", "moderate", "high")
    (100.0, True)
    """

    tasks: tuple
    damage: tuple
    share_percent: tuple
    cumulative_damage: float
    probability: float
    band: str
    cautions: tuple

    def to_dict(self) -> dict:
        return {"tasks": [{"name": t.name, "moment_nm": t.moment_nm, "repetitions_per_day": t.repetitions_per_day,
                           "damage": d, "share_percent": s}
                          for t, d, s in zip(self.tasks, self.damage, self.share_percent, strict=True)],
                "cumulative_damage": self.cumulative_damage, "probability": self.probability, "band": self.band,
                "cautions": list(self.cautions)}


def assess_tasks(tasks) -> LifftResult:
    """LiFFT over a job's tasks: damage and share of each, daily CD, probability, band.

    Parameters
    ----------
    tasks : iterable of LifftTask
        The job's tasks (moment N·m, repetitions per day).

    Returns
    -------
    LifftResult
        Damage and share (%) of each task, cumulative damage, probability, band, cautions.

    Examples
    --------
    >>> r = assess_tasks([LifftTask("a", 51.0, 400)])
    >>> round(r.cumulative_damage, 4), r.band
    (0.0042, 'moderate')
    """
    tasks = tuple(tasks)
    if not tasks:
        raise DataQualityError("LiFFT needs at least one task")
    dmg = damage_per_cycle([t.moment_nm for t in tasks]) * np.array([t.repetitions_per_day for t in tasks], float)
    if np.any(np.array([t.repetitions_per_day for t in tasks]) < 0):
        raise DataQualityError("repetitions per day must be >= 0")
    cd = float(dmg.sum())
    share = tuple(float(x) for x in (100.0 * dmg / cd if cd > 0 else np.zeros_like(dmg)))
    p = float(probability_high_risk(cd))
    lim = fatigue_constants()["lifft"]["caution_peak_moment_nm"]
    cautions = tuple(f"{t.name}: peak moment {t.moment_nm:.0f} N·m is above {lim:.0f} N·m, where the LiFFT "
                     "authors advise caution" for t in tasks if t.moment_nm > lim)
    return LifftResult(tasks, tuple(float(x) for x in dmg), share, cd, p, risk_band(p), cautions)
