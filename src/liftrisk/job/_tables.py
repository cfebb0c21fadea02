"""Read the job-level methods' published constants from `liftrisk/data/job/` (once).

Citations and how each value was read and checked are in `liftrisk/data/job/SOURCE.md`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import pandas as pd

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
