"""ACGIH lifting zones and the seed's zone -> risk-level mapping (Table 1).

The 12 ACGIH TLV zones are 4 vertical zones (top to bottom: reach limit 30 cm above to 8 cm
below shoulder, knuckle height to below shoulder, middle shin to knuckle height, floor to
middle shin) x 3 horizontal zones (close < 30 cm, intermediate 30-60 cm, extended 60-80 cm),
numbered row by row from the top (see ``liftrisk/data/imu/SOURCE.md`` for why).

Risk levels (IMU-CNN seed, Table 1): low = 4, 5; medium = 6, 7, 8, 9; high = 1, 2, 3, 10,
11, 12. ``liftrisk.risk.acgih`` holds the same mapping for the risk area; this copy keeps the
imu area self-contained (a test checks that both agree when the risk module exists).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from liftrisk.errors import LiftriskError

#: Folder of this area's data files (with their SOURCE.md).
DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "imu"

#: Class labels in index order (class index 0, 1, 2).
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")
VERTICAL_ZONES: tuple[str, ...] = (
    "reach_limit_30cm_above_to_8cm_below_shoulder",
    "knuckle_height_to_below_shoulder",
    "middle_shin_to_knuckle_height",
    "floor_to_middle_shin",
)
HORIZONTAL_ZONES: tuple[str, ...] = ("close", "intermediate", "extended")
#: Horizontal zone limits (m from the mid-point between the ankles), ACGIH TLV Table 1 header.
HORIZONTAL_LIMITS_M: dict[str, tuple[float, float]] = {
    "close": (0.0, 0.30), "intermediate": (0.30, 0.60), "extended": (0.60, 0.80)}


@dataclass(frozen=True)
class Zone:
    """One ACGIH lifting zone.

    Attributes
    ----------
    number : int
        1-12.
    vertical : str
        Vertical zone name (see ``VERTICAL_ZONES``).
    horizontal : str
        Horizontal zone name (``close``, ``intermediate``, ``extended``).
    risk : str
        Seed Table 1 risk level.
    tlv_kg : float
        ACGIH TLV Table 1 limit in kg (NaN for "no known safe limit").
    """

    number: int
    vertical: str
    horizontal: str
    risk: str
    tlv_kg: float


def _load_zones() -> dict[int, Zone]:
    text = (DATA_DIR / "acgih_zone_risk.csv").read_text()
    zones = {}
    for row in csv.DictReader(text.splitlines()):
        tlv = float("nan") if row["tlv_table1_kg"] == "NKSL" else float(row["tlv_table1_kg"])
        z = Zone(int(row["zone"]), row["vertical_zone"], row["horizontal_zone"], row["risk"], tlv)
        zones[z.number] = z
    return zones


ZONES: dict[int, Zone] = _load_zones()


def zone_risk(zone: int) -> str:
    """Risk level of an ACGIH zone (seed Table 1).

    Parameters
    ----------
    zone : int
        Zone number 1-12.

    Returns
    -------
    str
        ``"low"``, ``"medium"`` or ``"high"``.

    Examples
    --------
    >>> zone_risk(4), zone_risk(8), zone_risk(12)
    ('low', 'medium', 'high')
    """
    try:
        z = int(zone)
    except (TypeError, ValueError):
        raise LiftriskError(f"zone is {zone!r}; expected an integer ACGIH zone 1-12") from None
    if z not in ZONES or z != zone:
        raise LiftriskError(f"zone is {zone!r}; expected an integer ACGIH zone 1-12")
    return ZONES[z].risk


def risk_index(risk: str) -> int:
    """Class index (0 low, 1 medium, 2 high) of a risk level name.

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

    Examples
    --------
    >>> zone_grid_position(1), zone_grid_position(8)
    ((0, 0), (2, 1))
    """
    zone_risk(zone)
    return divmod(int(zone) - 1, 3)


def zones_to_risk_index(zones) -> np.ndarray:
    """Vector version of ``risk_index(zone_risk(z))``.

    Examples
    --------
    >>> zones_to_risk_index([1, 4, 6]).tolist()
    [2, 0, 1]
    """
    return np.array([risk_index(zone_risk(z)) for z in np.asarray(zones).ravel()], dtype=np.int64)
