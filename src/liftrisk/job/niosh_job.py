"""NIOSH job level from measured lifts: single-task, composite (CLI) and variable (VLI)
lifting indices.

* Per lift: FIRWL, STRWL, FILI and STLI of the Revised NIOSH Lifting Equation at origin and
  destination (`liftrisk.risk.niosh.task_indices`; Waters et al. 1994/2021 manual pp. 26-28).
* A task measured by several lifts takes, for the CLI, its worst lift (largest FILI) as the
  task geometry and the mean load of its lifts (STLI) / the largest (FILI), as the manual's
  p. 27 defines them: a conservative reading, not the manual's wording.
* CLI: `liftrisk.risk.niosh.composite_lifting_index` (manual p. 28).
* VLI (Waters, Occhipinti, Colombini, Alvarez-Casado & Fox 2016, Human Factors
  58(5):695-711): every sampled lift's FILI is computed; the FILI range (min-max) is cut
  into six equal-width categories; each category is represented by the mean FILI of its
  lifts (weighted by the lifts' frequencies) and by the summed frequency of its lifts;
  the categories then enter the CLI equation (ordered by decreasing STLI). The procedure
  was read from the paper's abstract, the authors' 2009 IEA conference paper (Waters,
  Occhipinti, Colombini, Alvarez, Hernandez: "the average values for each FILI category and
  the corresponding frequency of lifts in each category are then used as input into the
  CLI equation") and a practitioner's description of the equal-width categories; the full
  paper text was not available to check the category rule further. Each task's
  frequency is shared equally among its measured lifts. A category's vertical location
  for FM is "below 75 cm" when any of its lifts starts there (the lower FM; conservative).
  With one task and one lift, CLI = VLI = the single-task LI (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from liftrisk.errors import DataQualityError
from liftrisk.risk.niosh import NioshTask, composite_lifting_index, frequency_multiplier, task_indices

__all__ = ["N_CATEGORIES", "SampledLift", "composite_index", "lift_indices", "task_summary", "variable_index"]

N_CATEGORIES = 6


@dataclass(frozen=True)
class SampledLift:
    """One measured lift in RNLE terms (SI).

    Attributes
    ----------
    load_kg : float
        Load (kg).
    origin, destination : tuple
        (h_m, v_m, a_deg) at the origin and destination (m, m, deg).
    d_m : float
        Vertical travel distance (m).
    lifts_per_min : float
        Frequency it stands for (lifts/min).
    coupling : {"good", "fair", "poor"}
        Hand-to-object coupling.

    Examples
    --------
    >>> s = SampledLift(10.0, (0.25, 0.75, 0.0), (0.25, 1.0, 0.0), 0.25, 1.0)
    >>> s.niosh_task().lifts_per_min
    1.0
    """

    load_kg: float
    origin: tuple
    destination: tuple
    d_m: float
    lifts_per_min: float
    coupling: str = "good"

    def niosh_task(self, lifts_per_min: float | None = None) -> NioshTask:
        return NioshTask(self.load_kg, tuple(self.origin), self.d_m,
                         self.lifts_per_min if lifts_per_min is None else lifts_per_min, self.coupling,
                         tuple(self.destination))


def lift_indices(lift: SampledLift, duration_h) -> dict:
    """FIRWL, STRWL, FILI, STLI of one lift at its own frequency (a copy of the cached value).

    Parameters
    ----------
    lift : SampledLift
    duration_h : float or str
        NIOSH work duration (h or Table 5 class).

    Returns
    -------
    dict
        ``FIRWL``, ``STRWL`` (kg), ``FM``, ``FILI``, ``STLI``.

    Examples
    --------
    >>> s = SampledLift(10.0, (0.25, 0.75, 0.0), (0.25, 1.0, 0.0), 0.25, 1.0)
    >>> round(lift_indices(s, 1.0)["FILI"], 3)
    0.47
    """
    return dict(_lift_indices(lift, duration_h))


@lru_cache(maxsize=65536)
def _lift_indices(lift: SampledLift, duration_h) -> dict:
    return task_indices(lift.niosh_task(), duration_h)


def task_summary(lifts, lifts_per_min: float, duration_h) -> tuple[NioshTask, dict]:
    """The NioshTask standing for a task sampled by `lifts` (worst lift's geometry, mean
    load for STLI, largest load for FILI) and its indices.

    Parameters
    ----------
    lifts : list of SampledLift
        The task's measured lifts.
    lifts_per_min : float
        The task's frequency.
    duration_h : float or str
        NIOSH work duration.

    Returns
    -------
    (NioshTask, dict)
        The task as the RNLE sees it and its FIRWL, STRWL, FILI, STLI.

    Examples
    --------
    >>> s = SampledLift(10.0, (0.25, 0.75, 0.0), (0.25, 1.0, 0.0), 0.25, 1.0)
    >>> t, ix = task_summary([s, s], 2.0, 1.0)
    >>> t.lifts_per_min, round(ix["FILI"], 2)
    (2.0, 0.47)
    """
    if not lifts:
        raise DataQualityError("a task needs at least one measured lift for the NIOSH indices")
    fili = [lift_indices(s, duration_h)["FILI"] for s in lifts]
    worst = lifts[int(np.argmax(fili))]
    loads = [s.load_kg for s in lifts]
    t = NioshTask(float(np.mean(loads)), tuple(worst.origin), worst.d_m, lifts_per_min, worst.coupling,
                  tuple(worst.destination), max_load_kg=float(np.max(loads)))
    return t, task_indices(t, duration_h)


def composite_index(tasks, duration_h) -> dict:
    """CLI of tasks given as (lifts, lifts_per_min) pairs; see module docstring.

    Parameters
    ----------
    tasks : list of (list of SampledLift, float)
        Each task's lifts and frequency (lifts/min).
    duration_h : float or str
        NIOSH work duration.

    Returns
    -------
    dict
        ``CLI``, ``order`` (task indices in CLI order), ``tasks`` and ``task_indices``.

    Examples
    --------
    >>> s = SampledLift(10.0, (0.25, 0.75, 0.0), (0.25, 1.0, 0.0), 0.25, 1.0)
    >>> round(composite_index([([s], 1.0)], 1.0)["CLI"], 3)
    0.5
    """
    built = [task_summary(list(lifts), f, duration_h) for lifts, f in tasks]
    out = composite_lifting_index([t for t, _ in built], duration_h)
    out["task_indices"] = [ix for _, ix in built]
    return out


def variable_index(lifts, duration_h, n_categories: int = N_CATEGORIES) -> dict:
    """VLI of sampled lifts (each with its own frequency share), Waters et al. (2016).

    Returns
    -------
    dict with ``VLI``, ``categories`` (FILI range, mean FILI, frequency, STLI, lifts per
    category) and ``order``.

    Parameters
    ----------
    lifts : list of SampledLift
        Every sampled lift with its share of the frequency (lifts/min).
    duration_h : float or str
        NIOSH work duration.
    n_categories : int
        Number of FILI categories (6 in Waters et al. 2016).

    Examples
    --------
    >>> s = SampledLift(10.0, (0.25, 0.75, 0.0), (0.25, 1.0, 0.0), 0.25, 1.0)
    >>> round(variable_index([s], 1.0)["VLI"], 3)
    0.5
    """
    lifts = list(lifts)
    if not lifts:
        raise DataQualityError("VLI needs at least one sampled lift")
    fili = np.array([lift_indices(s, duration_h)["FILI"] for s in lifts])
    freq = np.array([s.lifts_per_min for s in lifts], float)
    if not np.all(np.isfinite(fili)):
        return {"VLI": float("inf"), "categories": [], "order": [],
                "note": "a lift has FILI = inf (a multiplier is 0): the lifts should not be done"}
    lo, hi = float(fili.min()), float(fili.max())
    edges = np.linspace(lo, hi, n_categories + 1)
    cat = np.clip(np.searchsorted(edges, fili, side="right") - 1, 0, n_categories - 1) if hi > lo else \
        np.zeros(len(lifts), int)
    cats = []
    for k in sorted(set(cat.tolist())):
        idx = np.flatnonzero(cat == k)
        f_k = float(freq[idx].sum())
        w = freq[idx] if f_k > 0 else np.ones(idx.size)
        fili_k = float(np.average(fili[idx], weights=w))
        v_low = any(lifts[i].origin[1] < 0.75 for i in idx)
        v_cm = 50.0 if v_low else 100.0
        fm = frequency_multiplier(f_k, duration_h, v_cm)
        stli = fili_k / fm if fm > 0 else float("inf")
        cats.append({"fili_range": (float(edges[k]), float(edges[k + 1])) if hi > lo else (lo, hi),
                     "fili": fili_k, "lifts_per_min": f_k, "fm": fm, "stli": stli, "lifts": idx.tolist(),
                     "v_cm": v_cm})
    order = sorted(range(len(cats)), key=lambda i: (-cats[i]["stli"], -cats[i]["lifts_per_min"]))
    vli = cats[order[0]]["stli"]
    f_sum = cats[order[0]]["lifts_per_min"]
    for k in order[1:]:
        c = cats[k]
        fm_prev = frequency_multiplier(f_sum, duration_h, c["v_cm"])
        f_sum += c["lifts_per_min"]
        fm_now = frequency_multiplier(f_sum, duration_h, c["v_cm"])
        if fm_now == 0.0 or fm_prev == 0.0:
            return {"VLI": float("inf"), "categories": cats, "order": order}
        vli += c["fili"] * (1.0 / fm_now - 1.0 / fm_prev)
    return {"VLI": float(vli), "categories": cats, "order": order}
