"""The IMU classifier's risk classes of the ACGIH lifting zones.

The 12 ACGIH TLV zones (4 vertical x 3 horizontal, numbered row by row from the top, close
to extended) and their low/medium/high risk (Snyder et al. 2021, Table 1) are defined once, in
`liftrisk.risk.acgih` (`zone_risk`, `zone_number`, `tlv_table`); this module turns them
into class indices and grid positions for the classifier and its synthetic data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from liftrisk.errors import LiftriskError
from liftrisk.risk.acgih import zone_risk

#: Folder of this area's data files (with their SOURCE.md).
DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "imu"

#: Class labels in index order (class index 0, 1, 2).
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")
#: Horizontal zone limits (m from the mid-point between the ankles), ACGIH TLV Table 1 header.
HORIZONTAL_LIMITS_M: dict[str, tuple[float, float]] = {
    "close": (0.0, 0.30), "intermediate": (0.30, 0.60), "extended": (0.60, 0.80)}


def check_zone(zone) -> int:
    """The zone as an int, or a clear error when it is not an ACGIH zone 1-12.

    Parameters
    ----------
    zone : int-like
        ACGIH zone number.

    Returns
    -------
    int
        The zone (1-12); anything else raises a clear error.

    Examples
    --------
    >>> check_zone(7)
    7
    """
    try:
        z = int(zone)
        ok = z == zone and 1 <= z <= 12 and not isinstance(zone, (bool, np.bool_))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise LiftriskError(f"zone is {zone!r}; expected an integer ACGIH zone 1-12")
    return z


def risk_index(risk: str) -> int:
    """Class index (0 low, 1 medium, 2 high) of a risk level name.

    Parameters
    ----------
    risk : str
        ``"low"``, ``"medium"`` or ``"high"``.

    Returns
    -------
    int
        Class index 0, 1 or 2.

    Examples
    --------
    >>> risk_index("medium")
    1
    """
    key = str(risk).strip().lower()
    if key not in RISK_LEVELS:
        raise LiftriskError(f"risk is {risk!r}; expected one of {', '.join(RISK_LEVELS)}")
    return RISK_LEVELS.index(key)


def zone_grid_position(zone: int) -> tuple[int, int]:
    """(vertical row 0-3 from the top, horizontal column 0-2 from close) of a zone.

    Parameters
    ----------
    zone : int
        ACGIH zone 1-12.

    Returns
    -------
    (int, int)
        Row (0-3 from the top) and column (0-2 from close).

    Examples
    --------
    >>> zone_grid_position(1), zone_grid_position(8)
    ((0, 0), (2, 1))
    """
    return divmod(check_zone(zone) - 1, 3)


def zones_to_risk_index(zones) -> np.ndarray:
    """Vector version of ``risk_index(zone_risk(z))``.

    Parameters
    ----------
    zones : array_like of int
        ACGIH zones 1-12.

    Returns
    -------
    numpy.ndarray
        Class indices (int).

    Examples
    --------
    >>> zones_to_risk_index([1, 4, 6]).tolist()
    [2, 0, 1]
    """
    return np.array([risk_index(zone_risk(check_zone(z))) for z in np.asarray(zones).ravel()], dtype=np.int64)
