"""Percent of the working population capable of a measured joint moment, in the manner of
3DSSPP's strength percent capable.

For a joint whose strength model gives a population mean AND a standard deviation, the
share of people (of the subject's sex, age group, body weight and height) whose strength
exceeds the measured moment |tau| is

    percent capable = 100 Phi((S - |tau|) / SD_S)

with S the mean maximum voluntary torque and SD_S its between-subject standard deviation,
strength taken as normally distributed (as 3DSSPP does).

Sources: hip, knee and ankle extension/flexion from Anderson, Madigan & Nussbaum (2007,
J Biomech 40:3105-3113), Table 3: the maximum torque is c1 x body weight x height x
(angle factor) and the table gives the mean and the SD of c1 across subjects, so
SD_S = S x sd(c1) / mean(c1) at every angle (the other coefficients held at their means).
S is the angle-dependent isometric capacity of `liftrisk.kinetics.strength` (the same
as the workload ratio's). No SD is available in liftrisk's sources for L5/S1
(Rantanen et al. 1994 / Kamon et al. 1978 means only), the shoulders or the elbows
(Harbo et al. 2012 regression means): their percent capable is NOT computed (reported as
missing, not approximated).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics.strength import JOINTS, SAGITTAL_COLUMNS, workload_ratio
from liftrisk.kinetics.strength_table import age_group, anderson_table

__all__ = ["NO_SD_JOINTS", "percent_capable", "percent_capable_of_ratio", "strength_cv"]

#: joints rated by the workload table but without a published strength SD in liftrisk's sources
NO_SD_JOINTS = ("l5s1", "shoulder", "elbow")


def strength_cv(joint: str, direction: str, subject: Subject) -> float:
    """Between-subject coefficient of variation of maximum torque, sd(c1) / mean(c1),
    Anderson et al. (2007) Table 3.

    Parameters
    ----------
    joint : {'hip', 'knee', 'ankle'}
    direction : {'extension', 'flexion'}
    subject : Subject
        Sex and age select the Table 3 row.

    Returns
    -------
    float
        sd(c1) / mean(c1).

    Examples
    --------
    >>> round(strength_cv("knee", "extension", Subject("male", 80, 1.78, age_years=22)), 3)
    0.245
    """
    if joint not in JOINTS:
        raise DataQualityError(f"joint {joint!r}: a strength SD is available for {JOINTS} only")
    key = (joint, direction, subject.sex, age_group(subject.age_years))
    return anderson_table("sd")[key]["c1"] / anderson_table("mean")[key]["c1"]


def percent_capable_of_ratio(ratio, cv) -> np.ndarray:
    """Percent capable given the moment / mean-strength ratio and the strength CV.

    Parameters
    ----------
    ratio : float or array
        |moment| / mean strength.
    cv : float or array
        Strength coefficient of variation.

    Returns
    -------
    numpy.ndarray
        Percent capable, 0-100.

    Examples
    --------
    >>> float(percent_capable_of_ratio(1.0, 0.2)), round(float(percent_capable_of_ratio(0.5, 0.25)), 2)
    (50.0, 97.72)
    """
    r = np.asarray(ratio, float)
    return 100.0 * norm.cdf((1.0 - r) / np.asarray(cv, float))


def percent_capable(torques: pd.DataFrame, subject: Subject, angles_rad=None) -> pd.DataFrame:
    """Per-frame percent capable of every hip, knee and ankle moment column.

    Parameters
    ----------
    torques : pandas.DataFrame
        Bottom-up joint moments (``{l,r}_hip_extension_moment_nm``,
        ``{l,r}_knee_extension_moment_nm``, ``{l,r}_ankle_plantarflexion_moment_nm``), N·m.
    subject : Subject
    angles_rad : mapping, optional
        ``"r_knee" -> (T,)`` Anderson-convention angles (rad) for angle-dependent strength.

    Returns
    -------
    pandas.DataFrame
        ``<side>_<joint>_percent_capable`` columns (0-100), same index.

    Examples
    --------
    >>> k = pd.DataFrame({"r_knee_extension_moment_nm": [0.0, 227.67]})
    >>> percent_capable(k, Subject("male", 80, 1.78, age_years=22)).round(1)["r_knee_percent_capable"].tolist()
    [100.0, 50.0]
    """
    cols = [c for c in torques.columns if c[:2] in ("l_", "r_") and c[2:] in SAGITTAL_COLUMNS
            and SAGITTAL_COLUMNS[c[2:]][0] in JOINTS]
    if not cols:
        return pd.DataFrame(index=torques.index)
    ratio = workload_ratio(torques[cols], subject, angles_rad=angles_rad)
    out = {}
    for c in cols:
        joint, pos_dir, neg_dir = SAGITTAL_COLUMNS[c[2:]]
        tau = torques[c].to_numpy(float)
        cv = np.where(tau >= 0, strength_cv(joint, pos_dir, subject), strength_cv(joint, neg_dir, subject))
        r = ratio[f"{c[0]}_{joint}_workload_ratio"].to_numpy(float)
        out[f"{c[0]}_{joint}_percent_capable"] = percent_capable_of_ratio(r, cv)
    return pd.DataFrame(out, index=torques.index)
