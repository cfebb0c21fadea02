"""Agreement between an estimate and a reference: RMSE, Pearson r, ICC, peak comparison.

Used by the validation of every area (Mehrizi et al. 2019, sec. IV.A: RMSE, Pearson's R, absolute
peaks per trial, ICC of the peaks with the bands Mehrizi et al. take from Fleiss: < 0.40 poor, 0.40-0.75
good, > 0.75 excellent). Missing values (NaN) are dropped pairwise.

ICC forms follow Shrout PE, Fleiss JL (1979) Intraclass correlations: uses in assessing rater
reliability. Psychol Bull 86:420-428 (their Table 2 example is the test reference):

* ICC(1,1) / ICC(1,k): one-way random, (BMS - WMS) / (BMS + (k-1) WMS), (BMS - WMS) / BMS;
* ICC(2,1) / ICC(2,k): two-way random, absolute agreement,
  (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n), (BMS - EMS) / (BMS + (JMS - EMS) / n);
* ICC(3,1) / ICC(3,k): two-way mixed, consistency, (BMS - EMS) / (BMS + (k-1) EMS), (BMS - EMS) / BMS.

The default for method comparison in liftrisk is ICC(2,1) (single measurement, absolute
agreement): a systematic offset between methods lowers it, as it should.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError

ICC_FORMS = ("1,1", "2,1", "3,1", "1,k", "2,k", "3,k")


def _pair(estimate, reference) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(estimate, float).ravel()
    b = np.asarray(reference, float).ravel()
    if a.shape != b.shape:
        raise DataQualityError(f"estimate has {a.size} values, reference {b.size}; expected the same number "
                               "(resample or time-normalise them first)")
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 2:
        raise DataQualityError("fewer than 2 finite value pairs; nothing to compare")
    return a[ok], b[ok]


def rmse(estimate, reference) -> float:
    """Root-mean-square difference (same unit as the inputs).

    Parameters
    ----------
    estimate, reference : array_like
        Two series of the same length and unit; NaN pairs are dropped.

    Returns
    -------
    float
        Root-mean-square difference, in the unit of the inputs.

    Examples
    --------
    >>> rmse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.1547005383792515
    """
    a, b = _pair(estimate, reference)
    return float(np.sqrt(np.mean((a - b) ** 2)))


def pearson_r(estimate, reference) -> float:
    """Pearson's product-moment correlation coefficient.

    Parameters
    ----------
    estimate, reference : array_like
        Two series of the same length (any unit); NaN pairs are dropped.

    Returns
    -------
    float
        Pearson's r (dimensionless, -1 to 1).

    Examples
    --------
    >>> round(pearson_r([1, 2, 3, 4], [2, 4, 6, 8.5]), 4)
    0.9984
    """
    a, b = _pair(estimate, reference)
    a, b = a - a.mean(), b - b.mean()
    den = np.sqrt((a * a).sum() * (b * b).sum())
    if den == 0:
        raise DataQualityError("Pearson r is undefined for a constant series")
    return float((a * b).sum() / den)


def icc(ratings, form: str = "2,1") -> float:
    """Intraclass correlation (Shrout & Fleiss 1979) of an (n targets, k raters) table.

    Parameters
    ----------
    ratings : array (n, k)
        One row per target (e.g. trial), one column per rater/method. Rows with NaN are dropped.
    form : {"1,1", "2,1", "3,1", "1,k", "2,k", "3,k"}

    Returns
    -------
    float
        The intraclass correlation coefficient (dimensionless, at most 1).

    Examples
    --------
    >>> round(icc([[1, 1.1], [2, 2.1], [3, 2.8], [4, 4.2]], "2,1"), 3)
    0.993
    """
    if form not in ICC_FORMS:
        raise DataQualityError(f"ICC form {form!r}; expected one of {ICC_FORMS}")
    x = np.asarray(ratings, float)
    if x.ndim != 2 or x.shape[1] < 2:
        raise DataQualityError(f"ratings has shape {x.shape}; expected (targets, raters>=2)")
    x = x[np.isfinite(x).all(axis=1)]
    n, k = x.shape
    if n < 2:
        raise DataQualityError("ICC needs at least 2 complete targets")
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_tot = ((x - grand) ** 2).sum()
    bms = ss_rows / (n - 1)
    wms = (ss_tot - ss_rows) / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = (ss_tot - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    if form == "1,1":
        return float((bms - wms) / (bms + (k - 1) * wms))
    if form == "2,1":
        return float((bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n))
    if form == "3,1":
        return float((bms - ems) / (bms + (k - 1) * ems))
    if form == "1,k":
        return float((bms - wms) / bms)
    if form == "2,k":
        return float((bms - ems) / (bms + (jms - ems) / n))
    return float((bms - ems) / bms)


def icc_class(value: float) -> str:
    """ICC band of Mehrizi et al. 2019, sec. IV.A (after Fleiss): poor < 0.40 <= good <= 0.75 < excellent.

    Parameters
    ----------
    value : float
        An ICC (dimensionless).

    Returns
    -------
    str
        ``"poor"``, ``"good"`` or ``"excellent"``.

    Examples
    --------
    >>> icc_class(0.8), icc_class(0.5), icc_class(0.1)
    ('excellent', 'good', 'poor')
    """
    return "poor" if value < 0.40 else ("good" if value <= 0.75 else "excellent")


def compare_series(estimate, reference) -> dict[str, float]:
    """RMSE, Pearson r, reference peak |max| and RMSE as % of that peak.

    Parameters
    ----------
    estimate, reference : array_like
        Two series of the same length and unit (e.g. an L5/S1 moment in N·m); NaN pairs dropped.

    Returns
    -------
    dict
        ``rmse`` and ``reference_peak`` (unit of the inputs), ``pearson_r`` (dimensionless) and
        ``rmse_percent_of_peak`` (%).

    Examples
    --------
    >>> round(compare_series([0, 1, 2, 1], [0, 1, 2, 1.2])["rmse_percent_of_peak"], 6)
    5.0
    """
    a, b = _pair(estimate, reference)
    peak = float(np.max(np.abs(b)))
    e = rmse(a, b)
    return {"rmse": e, "pearson_r": pearson_r(a, b), "reference_peak": peak,
            "rmse_percent_of_peak": 100.0 * e / peak if peak > 0 else np.nan}


def peak_comparison(estimates: Sequence, references: Sequence, form: str = "2,1") -> tuple[pd.DataFrame, dict]:
    """Absolute peak per trial (max |value| over the cycle) of estimate vs reference.

    Parameters
    ----------
    estimates, references : sequences of 1D arrays
        One series per trial (lengths may differ between trials).
    form : str
        ICC form of :func:`icc` used on the peaks (default ``"2,1"``).

    Returns
    -------
    table : pandas.DataFrame
        Per trial: ``estimate_peak``, ``reference_peak``, ``abs_error``.
    summary : dict
        ``rmse``, ``pearson_r`` and ``icc`` (of the given form) over the peaks, and
        ``icc_class``.

    Examples
    --------
    >>> t, s = peak_comparison([[1, -3], [2, 5], [0, 4]], [[1, -3.2], [2, 5.1], [0, 3.9]])
    >>> t["abs_error"].round(2).tolist(), s["icc_class"]
    ([0.2, 0.1, 0.1], 'excellent')
    """
    if len(estimates) != len(references):
        raise DataQualityError(f"{len(estimates)} estimated trials but {len(references)} reference trials")
    ep = np.array([np.nanmax(np.abs(np.asarray(e, float))) for e in estimates])
    rp = np.array([np.nanmax(np.abs(np.asarray(r, float))) for r in references])
    table = pd.DataFrame({"estimate_peak": ep, "reference_peak": rp, "abs_error": np.abs(ep - rp)})
    summary = {"rmse": rmse(ep, rp), "pearson_r": pearson_r(ep, rp) if len(ep) > 2 else np.nan,
               "icc": icc(np.stack([ep, rp], axis=1), form), "icc_form": form}
    summary["icc_class"] = icc_class(summary["icc"])
    return table, summary
