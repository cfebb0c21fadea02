"""Two joint-load time series compared in the form of Mehrizi et al. 2019 (sec. IV-V).

Per lift, both series are time-normalised to 0-100 % of the lift cycle (grasp to release,
sec. IV.B; 101 samples). Then, as the paper reports them:

* per plane (each component column): RMSE and Pearson r over the normalised cycle, per lift,
  summarised as mean +- SD over the lifts (its Table 1);
* peaks: the absolute peak of each component and of the total (vector magnitude) per lift;
  RMSE and r of the peaks over the lifts, and the ICC of the peaks pooled over lifts and
  planes (sec. V.B: "over all pooled ... lifting trials and 3 planes"). The paper does not
  state the ICC form; liftrisk uses ICC(2,1), two-way random, single measurement, absolute
  agreement (Shrout & Fleiss 1979), so a constant offset lowers it; bands < 0.40 poor,
  0.40-0.75 good, > 0.75 excellent (the paper's sec. IV.A, after Fleiss 2011);
* total error: the grand mean +- SD, over every normalised sample of every lift, of the
  absolute error of the total (the magnitude of the three components):
  | |M_a| - |M_b| | (the paper: 9.06 +- 7.60 N·m for the moment, 4.85 +- 4.85 N for the force).

Body-size normalisation (sec. IV.B: forces / body mass, moments / (mass x stature), times the
group means) changes nothing when both series are of the same subject, so it is left to the
caller (`liftrisk.metrics.normalise_kinetics`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError
from liftrisk.metrics.agreement import icc, icc_class, pearson_r, rmse
from liftrisk.metrics.normalisation import time_normalise

__all__ = ["L5S1_FORCE_COLUMNS", "L5S1_MOMENT_COLUMNS", "LiftComparison", "compare_lifts"]

#: L5/S1 moment components of `liftrisk.kinetics.top_down_l5s1` / `bottom_up` (N·m):
#: sagittal, lateral, rotation.
L5S1_MOMENT_COLUMNS = ("l5s1_extension_moment_nm", "l5s1_lateral_bending_left_moment_nm",
                       "l5s1_axial_twist_left_moment_nm")
#: L5/S1 force components (N): vertical (axial), anterior-posterior, medio-lateral.
L5S1_FORCE_COLUMNS = ("l5s1_axial_force_n", "l5s1_anterior_force_n", "l5s1_left_force_n")


@dataclass(frozen=True)
class LiftComparison:
    """Result of :func:`compare_lifts`.

    Attributes
    ----------
    per_lift : pandas.DataFrame
        One row per (lift, component): ``lift``, ``component``, ``rmse`` (unit of the
        component), ``pearson_r``, ``peak_a``, ``peak_b`` (absolute peaks).
    planes : pandas.DataFrame
        Per component (and ``moment_total`` / ``force_total``): mean and SD over the lifts of
        the RMSE and r (``rmse_mean``, ``rmse_sd``, ``r_mean``, ``r_sd``), and the RMSE and r
        of the peaks over the lifts (``peak_rmse``, ``peak_r``).
    peak_icc : dict
        group (``"moment"``, ``"force"``) -> (ICC of the pooled per-plane peaks, its class).
    total_error : dict
        group -> (mean, SD) of the absolute error of the total over all normalised samples.
    icc_form : str
        The ICC form used ("2,1").
    n_lifts : int
    """

    per_lift: pd.DataFrame
    planes: pd.DataFrame
    peak_icc: dict
    total_error: dict
    icc_form: str
    n_lifts: int


def _groups(a: pd.DataFrame, b: pd.DataFrame, moment_columns, force_columns) -> dict:
    out = {}
    for name, cols in (("moment", moment_columns), ("force", force_columns)):
        cols = tuple(c for c in cols if c in a.columns and c in b.columns)
        if cols:
            out[name] = cols
    if not out:
        raise DataQualityError(f"no common load columns: expected some of {list(moment_columns) + list(force_columns)} "
                               f"in both tables (first has {list(a.columns)[:6]}..., second {list(b.columns)[:6]}...)")
    return out


def compare_lifts(a: pd.DataFrame, b: pd.DataFrame, lifts_s=None, *, moment_columns=L5S1_MOMENT_COLUMNS,
                  force_columns=L5S1_FORCE_COLUMNS, icc_form: str = "2,1", n_points: int = 101) -> LiftComparison:
    """Compare two load tables lift by lift in the form of Mehrizi et al. 2019.

    Parameters
    ----------
    a, b : pandas.DataFrame
        Load time series indexed by time (s) (e.g. top-down and bottom-up L5/S1 loads, or an
        estimate and a reference), moment columns in N·m and force columns in N. Their times
        may differ; each is time-normalised on its own.
    lifts_s : sequence of (start_s, end_s), optional
        Lift cycles (grasp to release). Default: the common time span as one cycle.
    moment_columns, force_columns : sequence of str
        Components (planes) of each group; a column missing from either table is skipped.
    icc_form : str
        ICC form of `liftrisk.metrics.icc` for the pooled peaks (default "2,1").
    n_points : int
        Samples of the normalised cycle (101 = every 1 %).

    Returns
    -------
    LiftComparison

    Examples
    --------
    >>> t = np.linspace(0.0, 2.0, 201)
    >>> ref = pd.DataFrame({"l5s1_extension_moment_nm": 100 * np.sin(np.pi * t / 2)}, index=t)
    >>> est = ref + 5.0
    >>> c = compare_lifts(est, ref, [(0.0, 2.0)])
    >>> round(float(c.planes.loc["l5s1_extension_moment_nm", "rmse_mean"]), 6), c.total_error["moment"][1] < 1e-9
    (5.0, True)
    """
    groups = _groups(a, b, moment_columns, force_columns)
    ta, tb = a.index.to_numpy(float), b.index.to_numpy(float)
    if lifts_s is None:
        lifts_s = [(max(ta[0], tb[0]), min(ta[-1], tb[-1]))]
    lifts_s = [(float(s), float(e)) for s, e in lifts_s]
    if not lifts_s:
        raise DataQualityError("no lift to compare: give at least one (start_s, end_s)")
    rows, total_err = [], {g: [] for g in groups}
    for k, (s, e) in enumerate(lifts_s):
        for g, cols in groups.items():
            _, ya = time_normalise(ta, a[list(cols)].to_numpy(float), s, e, n_points)
            _, yb = time_normalise(tb, b[list(cols)].to_numpy(float), s, e, n_points)
            for j, c in enumerate(cols):
                rows.append({"lift": k, "component": c, "rmse": rmse(ya[:, j], yb[:, j]),
                             "pearson_r": pearson_r(ya[:, j], yb[:, j]),
                             "peak_a": float(np.nanmax(np.abs(ya[:, j]))),
                             "peak_b": float(np.nanmax(np.abs(yb[:, j])))})
            tot_a, tot_b = np.linalg.norm(ya, axis=1), np.linalg.norm(yb, axis=1)
            rows.append({"lift": k, "component": f"{g}_total", "rmse": rmse(tot_a, tot_b),
                         "pearson_r": pearson_r(tot_a, tot_b), "peak_a": float(np.nanmax(tot_a)),
                         "peak_b": float(np.nanmax(tot_b))})
            total_err[g].append(np.abs(tot_a - tot_b))
    per = pd.DataFrame(rows)
    summary = {}
    for c, grp in per.groupby("component", sort=False):
        d = (grp.peak_a - grp.peak_b).to_numpy(float)
        pr = (float(np.sqrt(np.nanmean(d**2))), pearson_r(grp.peak_a, grp.peak_b) if len(grp) > 2 else np.nan)
        summary[c] = {"rmse_mean": grp.rmse.mean(), "rmse_sd": grp.rmse.std(ddof=1) if len(grp) > 1 else np.nan,
                      "r_mean": grp.pearson_r.mean(), "r_sd": grp.pearson_r.std(ddof=1) if len(grp) > 1 else np.nan,
                      "peak_rmse": pr[0], "peak_r": pr[1]}
    planes = pd.DataFrame(summary).T
    peak_icc, tot = {}, {}
    for g, cols in groups.items():
        pooled = per[per.component.isin(cols)]
        if len(pooled) >= 2:
            v = icc(pooled[["peak_a", "peak_b"]].to_numpy(float), icc_form)
            peak_icc[g] = (v, icc_class(v))
        err = np.concatenate(total_err[g])
        tot[g] = (float(np.nanmean(err)), float(np.nanstd(err, ddof=1)))
    return LiftComparison(per, planes, peak_icc, tot, icc_form, len(lifts_s))
