"""Result tables of an assessment as CSV files (time series, one row per lift).

Writers of the joint centres (TRC, `liftrisk.io.trc.write_trc`) and of angle/load tables
(.mot, `liftrisk.io.opensim.write_mot`) live with their formats.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from liftrisk.io._common import atomic_write_text, check_writable


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


def write_table_csv(table: pd.DataFrame, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write one result table as CSV (6 significant digits), never replacing a file by accident.

    Parameters
    ----------
    table : pandas.DataFrame
        Written with its index (e.g. ``time_s``); column names carry their units.
    path : path
        The CSV file.
    overwrite : bool
        Replace an existing file; otherwise an existing file is an `InputFileError`.

    Returns
    -------
    Path
        The file written (atomically: a partial file never replaces a good one).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "angles.csv"
    >>> t = pd.DataFrame({"knee_deg": [10.0]}, index=pd.Index([0.0], name="time_s"))
    >>> write_table_csv(t, p).read_text().splitlines()
    ['time_s,knee_deg', '0,10']
    """
    p = check_writable(path, overwrite)
    atomic_write_text(p, table.to_csv(float_format="%.6g"))
    return p
