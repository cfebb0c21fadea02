"""Published lookup tables of the risk methods, read once from `liftrisk/data/risk/`.

Every table is a data file with its citation in `liftrisk/data/risk/SOURCE.md`:

* REBA Tables A, B, C: Hignett S, McAtamney L (2000) Rapid Entire Body Assessment (REBA).
  Applied Ergonomics 31:201-205 (as printed on the REBA Employee Assessment Worksheet).
* RULA Tables A, B, C: McAtamney L, Corlett EN (1993) RULA: a survey method for the
  investigation of work-related upper limb disorders. Applied Ergonomics 24(2):91-99.
* NIOSH RNLE Tables 1-5 and 7: Waters TR, Putz-Anderson V, Garg A (1994, rev. 2021)
  Applications Manual for the Revised NIOSH Lifting Equation, DHHS (NIOSH) Pub. 94-110.
* ACGIH lifting TLV Table 1 (ACGIH 2004/2007 TLVs, as reprinted by Marras & Hamrick 2006).

The lookup arrays are 1-based in the sense that index 0 is unused padding, so a body-part
score `s` indexes `table[s]` directly (no mixed 0-/1-based arithmetic in the callers).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

_PKG = "liftrisk"
_DIR = "data/risk"


def data_path(name: str):
    """Path-like object of one file in the package's `data/risk` folder.

    Parameters
    ----------
    name : str
        File name in ``liftrisk/data/risk``.

    Returns
    -------
    pathlib.Path or importlib.resources.abc.Traversable
        The packaged file.

    Examples
    --------
    >>> data_path("reba_table_A.csv").name
    'reba_table_A.csv'
    """
    return resources.files(_PKG).joinpath(f"{_DIR}/{name}")


def read_csv(name: str) -> pd.DataFrame:
    """One of the package's risk data tables as a DataFrame.

    Parameters
    ----------
    name : str
        File name in ``liftrisk/data/risk``.

    Returns
    -------
    pandas.DataFrame
        The table as stored.

    Examples
    --------
    >>> len(read_csv("acgih_lifting_tlv_table1.csv")) > 0
    True
    """
    with data_path(name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def read_json(name: str) -> dict:
    """One of the package's risk data files (JSON).

    Parameters
    ----------
    name : str
        File name in ``liftrisk/data/risk``.

    Returns
    -------
    dict
        The parsed JSON.

    Examples
    --------
    >>> isinstance(read_json("niosh_rnle_rules_and_examples.json"), dict)
    True
    """
    with data_path(name).open("r", encoding="utf-8") as fh:
        return json.load(fh)


def _long_to_array(df: pd.DataFrame, keys: list[str], value: str) -> np.ndarray:
    shape = tuple(int(df[k].max()) + 1 for k in keys)
    arr = np.zeros(shape, dtype=np.int64)
    idx = tuple(df[k].to_numpy(int) for k in keys)
    arr[idx] = df[value].to_numpy(int)
    arr.setflags(write=False)
    return arr


@cache
def reba_table_a() -> np.ndarray:
    """REBA Table A indexed ``[trunk 1-5, neck 1-3, legs 1-4]`` (index 0 unused).

    Returns
    -------
    numpy.ndarray
        (6, 4, 5) int scores (index 0 unused).

    Examples
    --------
    >>> int(reba_table_a()[3, 2, 3])  # trunk 3, neck 2, legs 3
    6
    """
    return _long_to_array(read_csv("reba_table_A.csv"), ["trunk", "neck", "legs"], "score_A_posture")


@cache
def reba_table_b() -> np.ndarray:
    """REBA Table B indexed ``[upper_arm 1-6, lower_arm 1-2, wrist 1-3]``.

    Returns
    -------
    numpy.ndarray
        (7, 3, 4) int scores (index 0 unused).

    Examples
    --------
    >>> int(reba_table_b()[4, 2, 3])
    7
    """
    return _long_to_array(read_csv("reba_table_B.csv"), ["upper_arm", "lower_arm", "wrist"], "score_B_posture")


@cache
def reba_table_c() -> np.ndarray:
    """REBA Table C indexed ``[score A 1-12, score B 1-12]``.

    Returns
    -------
    numpy.ndarray
        (13, 13) int scores (index 0 unused).

    Examples
    --------
    >>> int(reba_table_c()[6, 4])
    7
    """
    df = read_csv("reba_table_C.csv")
    arr = np.zeros((13, 13), dtype=np.int64)
    for _, row in df.iterrows():
        a = int(row["score_A"])
        arr[a, 1:] = [int(row[f"score_B_{b}"]) for b in range(1, 13)]
    arr.setflags(write=False)
    return arr


@cache
def rula_table_a() -> np.ndarray:
    """RULA Table A indexed ``[upper_arm 1-6, lower_arm 1-3, wrist 1-4, wrist_twist 1-2]``.

    Returns
    -------
    numpy.ndarray
        (7, 4, 5, 3) int scores (index 0 unused).

    Examples
    --------
    >>> int(rula_table_a()[3, 2, 3, 1])
    4
    """
    return _long_to_array(read_csv("rula_table_A.csv"), ["upper_arm", "lower_arm", "wrist", "wrist_twist"],
                          "score_A_posture")


@cache
def rula_table_b() -> np.ndarray:
    """RULA Table B indexed ``[neck 1-6, trunk 1-6, legs 1-2]``.

    Returns
    -------
    numpy.ndarray
        (7, 7, 3) int scores (index 0 unused).

    Examples
    --------
    >>> int(rula_table_b()[4, 6, 2])
    8
    """
    return _long_to_array(read_csv("rula_table_B.csv"), ["neck", "trunk", "legs"], "score_B_posture")


@cache
def rula_table_c() -> np.ndarray:
    """RULA Table C indexed ``[score C 1-8 (8 = 8+), score D 1-7 (7 = 7+)]``.

    Returns
    -------
    numpy.ndarray
        (9, 8) int scores (index 0 unused).

    Examples
    --------
    >>> int(rula_table_c()[5, 6])
    7
    """
    df = read_csv("rula_table_C.csv")
    arr = np.zeros((9, 8), dtype=np.int64)
    for i, (_, row) in enumerate(df.iterrows(), start=1):
        arr[i, 1:] = row.iloc[1:8].to_numpy(int)
    arr.setflags(write=False)
    return arr
