"""The Anderson et al. (2007) joint torque-surface coefficients and their age bands.

Anderson DE, Madigan ML, Nussbaum MA (2007) Maximum voluntary joint torque as a function of
joint angle and angular velocity: model development and application to the lower limb.
J Biomech 40:3105-3113, Table 3: coefficients c1..c6 of the active torque surface and b1, k1,
b2, k2 of the passive torque (eq. 1), for the hip, knee and ankle, extension and flexion,
male and female, mean and SD, in three age groups: 18-25, 55-65 and over 65 years.

One data file (``data/kinetics/anderson2007_torque_surface_coefficients.csv``, with its
transcription notes in that folder's SOURCE.md) and one loader, shared by the numeric
capacities of `liftrisk.kinetics.strength` and the symbolic torque limits of
`liftrisk.predict.strength`.

Age bands
---------
The table covers three bands only. An age is taken in completed years (65.5 is 65) and
mapped to its band: 18-25 -> ``"18-25"``, 55-65 -> ``"55-65"``, 66 and over -> ``">65"``.
Ages outside every band take the nearest band: under 18 and 26-39 -> ``"18-25"``, 40-54 ->
``"55-65"`` (40 is as far from 25 as from 55; the tie goes to the older, weaker band, which
gives the lower capacity). An unknown age uses ``"18-25"``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from liftrisk.errors import DataQualityError

#: Age groups of Anderson et al. (2007) Table 3, youngest first.
AGE_GROUPS = ("18-25", "55-65", ">65")
#: Coefficient columns: active surface c1..c6, passive torque b1, k1, b2, k2 (eq. 1).
COEFFICIENTS = ("c1", "c2", "c3", "c4", "c5", "c6", "b1", "k1", "b2", "k2")
STATISTICS = ("mean", "sd")
_DATA_FILE = "anderson2007_torque_surface_coefficients.csv"
#: Completed years at and above which an age between the young and middle bands (26-54) is
#: mapped to the middle band: the midpoint of 25 and 55.
_MIDDLE_BAND_FROM_YEARS = 40


@lru_cache(maxsize=1)
def _read_table() -> Mapping:
    path = resources.files("liftrisk") / "data" / "kinetics" / _DATA_FILE
    out: dict = {s: {} for s in STATISTICS}
    with path.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["joint"], row["direction"], row["sex"], row["age_group"])
            out[row["statistic"]][key] = MappingProxyType({k: float(row[k]) for k in COEFFICIENTS})
    return MappingProxyType({s: MappingProxyType(v) for s, v in out.items()})


def anderson_table(statistic: str = "mean") -> Mapping:
    """Anderson et al. (2007) Table 3 coefficients keyed by (joint, direction, sex, age group).

    Parameters
    ----------
    statistic : {"mean", "sd"}
        The table's means or its standard deviations across subjects.

    Returns
    -------
    Mapping
        ``(joint, direction, sex, age_group) -> {"c1": ..., ..., "k2": ...}`` (read-only);
        joints hip, knee, ankle; directions extension, flexion (ankle extension =
        plantarflexion); c1, b1, b2 per (body weight N x height m); c2, k1, k2 in 1/rad;
        c3 in rad; c4, c5 in rad/s.

    Examples
    --------
    >>> anderson_table()[("knee", "extension", "male", "18-25")]["c1"]
    0.163
    >>> anderson_table("sd")[("knee", "extension", "male", "18-25")]["c1"] > 0
    True
    """
    if statistic not in STATISTICS:
        raise DataQualityError(f"statistic is {statistic!r}; expected one of {STATISTICS}")
    return _read_table()[statistic]


def age_group(age_years: float | None) -> str:
    """Anderson et al. (2007) age group used for an age (module docstring: bands and gaps).

    Parameters
    ----------
    age_years : float or None
        Age, years; None when unknown.

    Returns
    -------
    str
        One of `AGE_GROUPS`.

    Examples
    --------
    >>> [age_group(a) for a in (None, 25.9, 39, 40, 55, 65.5, 66)]
    ['18-25', '18-25', '18-25', '55-65', '55-65', '55-65', '>65']
    """
    if age_years is None:
        return AGE_GROUPS[0]
    if not math.isfinite(age_years) or age_years < 0:
        raise DataQualityError(f"age is {age_years!r} years; expected a non-negative number of years (or None)")
    years = math.floor(age_years)
    if years < _MIDDLE_BAND_FROM_YEARS:
        return AGE_GROUPS[0]
    return AGE_GROUPS[1] if years <= 65 else AGE_GROUPS[2]
