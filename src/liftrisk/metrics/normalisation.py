"""Lift-cycle time normalisation and body-size normalisation of kinetics (Mehrizi et al. 2019, sec. IV.B).

* Time: a lift cycle (from grabbing the box to leaving it on the shelf) resampled to
  0-100 % by linear interpolation.
* Body size (Mehrizi et al. 2019, sec. IV.B, after Hendershot & Wolf 2014 and Shojaei et al.
  2016): forces divided by body mass (N/kg), moments by body mass x stature (N·m/(kg·m));
  optionally multiplied back by the group's mean body mass and mean mass x stature so the
  values read in N and N·m again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError


def time_normalise(time_s, values, start_s: float | None = None, end_s: float | None = None,
                   n_points: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """Resample values between start_s and end_s to 0-100 % of the cycle.

    Parameters
    ----------
    time_s : array (T,)
    values : array (T,) or (T, ...)
    start_s, end_s : float, optional
        Cycle start and end (default: first and last sample).
    n_points : int
        Number of samples of the normalised cycle (101 = every 1 %).

    Returns
    -------
    percent : (n_points,) array, 0-100
    resampled : (n_points, ...) array

    Examples
    --------
    >>> p, v = time_normalise([0.0, 1.0, 2.0], [0.0, 10.0, 20.0], n_points=5)
    >>> p.tolist(), v.tolist()
    ([0.0, 25.0, 50.0, 75.0, 100.0], [0.0, 5.0, 10.0, 15.0, 20.0])
    """
    t = np.asarray(time_s, float)
    y = np.asarray(values, float)
    if y.shape[0] != t.size:
        raise DataQualityError(f"{t.size} times but {y.shape[0]} values")
    t0 = t[0] if start_s is None else float(start_s)
    t1 = t[-1] if end_s is None else float(end_s)
    if not (t[0] <= t0 < t1 <= t[-1]):
        raise DataQualityError(f"cycle {t0}-{t1} s is not inside the recording {t[0]}-{t[-1]} s")
    pct = np.linspace(0.0, 100.0, n_points)
    tq = t0 + pct / 100.0 * (t1 - t0)
    flat = y.reshape(t.size, -1)
    out = np.stack([np.interp(tq, t, flat[:, j]) for j in range(flat.shape[1])], axis=1)
    return pct, out.reshape((n_points, *y.shape[1:]))


def normalise_kinetics(kinetics: pd.DataFrame, mass_kg: float, height_m: float,
                       ref_mass_kg: float | None = None, ref_mass_height_kgm: float | None = None) -> pd.DataFrame:
    """Body-size normalisation of force (``*_n``) and moment (``*_nm``) columns.

    Forces / mass_kg and moments / (mass_kg x height_m); when ``ref_mass_kg`` (mean body
    mass of the group) and ``ref_mass_height_kgm`` (mean of mass x stature) are given, the
    results are multiplied by them (units back to N and N·m), as in Mehrizi et al. 2019, sec. IV.B.
    Other columns are dropped. Normalised columns are renamed ``*_n_per_kg`` and
    ``*_nm_per_kgm`` when no reference is given.

    Parameters
    ----------
    kinetics : pandas.DataFrame
        Columns ending in ``_n`` (force, N) and ``_nm`` (moment, N·m); others are dropped.
    mass_kg : float
        Body mass of the subject (kg).
    height_m : float
        Stature of the subject (m).
    ref_mass_kg : float, optional
        Mean body mass of the group (kg).
    ref_mass_height_kgm : float, optional
        Mean of body mass x stature of the group (kg·m).

    Returns
    -------
    pandas.DataFrame
        Normalised forces (N/kg) and moments (N·m/(kg·m)), or in N and N·m again when the
        group references are given.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"l5s1_force_z_n": [800.0], "l5s1_moment_y_nm": [160.0]})
    >>> normalise_kinetics(df, 80.0, 2.0).iloc[0].tolist()
    [10.0, 1.0]
    >>> normalise_kinetics(df, 80.0, 2.0, 70.0, 120.0).iloc[0].tolist()
    [700.0, 120.0]
    """
    if not (0 < mass_kg < 300 and 0.5 < height_m < 2.5):
        raise DataQualityError(f"mass {mass_kg} kg / height {height_m} m out of range; give kg and m")
    rescale = ref_mass_kg is not None and ref_mass_height_kgm is not None
    out = {}
    for c in kinetics.columns:
        if c.endswith("_nm"):
            v = kinetics[c] / (mass_kg * height_m)
            out[c if rescale else c + "_per_kgm"] = v * ref_mass_height_kgm if rescale else v
        elif c.endswith("_n"):
            v = kinetics[c] / mass_kg
            out[c if rescale else c + "_per_kg"] = v * ref_mass_kg if rescale else v
    return pd.DataFrame(out, index=kinetics.index)
