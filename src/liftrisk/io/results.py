"""Result tables of an assessment as CSV files (time series, one row per lift).

Writers of the joint centres (TRC, `liftrisk.io.trc.write_trc`) and of angle/load tables
(.mot, `liftrisk.io.opensim.write_mot`) live with their formats.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd


def write_result_csv(folder: str | os.PathLike, stem: str, timeseries: pd.DataFrame,
                     lifts: pd.DataFrame | None = None) -> list[Path]:
    """Write ``<stem>_timeseries.csv`` (index = time in s) and, when it has rows,
    ``<stem>_lifts.csv``; the folder is created when missing. Existing files of these names
    are replaced (they are this tool's own outputs).

    Parameters
    ----------
    folder : path
    stem : str
        File name prefix.
    timeseries : pandas.DataFrame
        Indexed by ``time_s``; columns carry their units (``_deg``, ``_n``, ``_nm``).
    lifts : pandas.DataFrame, optional
        One row per lift (written without an index).

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> ts = pd.DataFrame({"x_m": [0.1, 0.2]}, index=pd.Index([0.0, 0.5], name="time_s"))
    >>> [p.name for p in write_result_csv(tempfile.mkdtemp(), "a", ts, pd.DataFrame())]
    ['a_timeseries.csv']
    """
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    ts = d / f"{stem}_timeseries.csv"
    timeseries.to_csv(ts, float_format="%.6g")
    out = [ts]
    if lifts is not None and len(lifts):
        p = d / f"{stem}_lifts.csv"
        lifts.to_csv(p, index=False, float_format="%.6g")
        out.append(p)
    return out
