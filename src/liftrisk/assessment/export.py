"""Exports of an assessment: CSV tables, OpenSim TRC (markers) and MOT (joint angles)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from liftrisk.assessment.result import Assessment, uncertainty_summary
from liftrisk.io import write_mot, write_result_csv, write_trc

__all__ = ["export_csv", "export_mot", "export_trc"]


def export_csv(a: Assessment, folder: str | os.PathLike, stem: str = "assessment") -> list[Path]:
    """Write the time series and the lifts table as CSV (`liftrisk.io.write_result_csv`).

    Parameters
    ----------
    a : Assessment
        An assessment.
    folder : str or os.PathLike
        Output folder (created).
    stem : str
        File name stem.

    Returns
    -------
    list of pathlib.Path
        ``<stem>_timeseries.csv`` and, with lifts, ``<stem>_lifts.csv`` and
        ``<stem>_reliability.csv`` (verdict and reasons per lift) and
        ``<stem>_lift_ranking.csv`` (the lifts worst first, `Assessment.lift_ranking`); with uncertainty
        bands (``settings.uncertainty_draws`` > 0) also ``<stem>_bands.csv`` (5/50/95 % of
        every redrawn quantity per frame), ``<stem>_lift_intervals.csv`` (H, V, A, D, RWL, LI
        intervals, P(LI > 1), P(LI > 3)) and ``<stem>_uncertainty.json`` (peaks with their
        90 % intervals, draws, position noise, notes).
    """
    paths = write_result_csv(folder, stem, a.timeseries(), a.lifts_table())
    if a.lifts and a.raw_points is not None:
        paths.append(Path(folder) / f"{stem}_reliability.csv")
        a.reliability_table().to_csv(paths[-1], index=False)
        paths.append(Path(folder) / f"{stem}_lift_ranking.csv")
        a.lift_ranking().to_csv(paths[-1], index=False)
    u = a.uncertainty
    if u is None:
        return paths
    folder = Path(folder)
    paths.append(folder / f"{stem}_bands.csv")
    u.bands.to_csv(paths[-1])
    if len(u.lifts):
        paths.append(folder / f"{stem}_lift_intervals.csv")
        u.lifts.to_csv(paths[-1], index=False)
    paths.append(folder / f"{stem}_uncertainty.json")
    paths[-1].write_text(json.dumps(uncertainty_summary(a), indent=1, allow_nan=False), encoding="utf-8")
    return paths


def export_trc(a: Assessment, path: str | os.PathLike, overwrite: bool = True) -> Path:
    """Write the canonical joint centres as TRC (mm, OpenSim Y-up; `liftrisk.io.write_trc`).

    Parameters
    ----------
    a : Assessment
        An assessment.
    path : str or os.PathLike
        Output TRC file.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    write_trc(a.motion, path, overwrite=overwrite)
    return Path(path)


def export_mot(a: Assessment, path: str | os.PathLike, overwrite: bool = True) -> Path:
    """Write joint angles (deg) and L5/S1 loads as an OpenSim-style .mot table (`liftrisk.io.write_mot`).

    Parameters
    ----------
    a : Assessment
        An assessment.
    path : str or os.PathLike
        Output .mot file.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    write_mot(a.mot_table(), path, in_degrees=True, overwrite=overwrite,
              description="angles in degrees; forces N; moments N.m")
    return Path(path)
