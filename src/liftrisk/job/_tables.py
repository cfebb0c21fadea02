"""Read the job-level methods' published constants from `liftrisk/data/job/` (once).

Citations and how each value was read and checked are in `liftrisk/data/job/SOURCE.md`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError

_DIR = "data/job"


def _open(name: str):
    return resources.files("liftrisk").joinpath(f"{_DIR}/{name}").open("r", encoding="utf-8")


@cache
def fatigue_constants() -> dict:
    """LiFFT and Shoulder Tool constants (``fatigue_failure_tools.json``)."""
    with _open("fatigue_failure_tools.json") as fh:
        return json.load(fh)


@cache
def lm_mmh_table(name: str) -> pd.DataFrame:
    """One of ``lm_mmh_equations.csv``, ``lm_mmh_scale_factors.csv``, ``lm_mmh_limits.csv``."""
    with _open(name) as fh:
        return pd.read_csv(fh)


def logistic_of_log_damage(cd, tool: str) -> np.ndarray:
    """Probability (0-1) ``1 / (1 + exp(-(b0 + b1 log10 cd)))`` of a fatigue-failure tool's risk
    model (``tool`` = ``lifft`` or ``shoulder_tool``; b0, b1 from its constants), 0 where cd = 0.

    Raises `DataQualityError` for a negative or non-finite cumulative damage.
    """
    c = fatigue_constants()[tool]
    x = np.asarray(cd, float)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise DataQualityError(f"cumulative damage {cd}; expected a finite value >= 0")
    with np.errstate(divide="ignore"):
        y = c["risk_intercept"] + c["risk_slope_log10_cd"] * np.log10(x)
    return np.where(x > 0, 1.0 / (1.0 + np.exp(-y)), 0.0)
