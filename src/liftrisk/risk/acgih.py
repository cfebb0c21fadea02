"""ACGIH lifting TLV zones and limits, and the 12-zone -> low/medium/high map of Snyder et al. 2021.

TLV Table 1 ("<= 2 h/day with <= 60 lifts/h, or > 2 h/day with <= 12 lifts/h"), ACGIH
2004/2007 TLVs as reprinted in Marras WS, Hamrick C (2006) "The ACGIH TLV for low back
risk", Fundamentals and Assessment Tools for Occupational Ergonomics, Table 50.4; data in
`liftrisk/data/risk/acgih_lifting_tlv_table1.csv`. NKSL = no known safe limit for
repetitive lifting (returned as NaN kg).

Zones: the lift origin's hand location is classified by
* vertical zone (hand height V against body landmarks of the worker): floor to mid-shin,
  mid-shin to knuckle height, knuckle height to below the shoulder, and the reach-limit
  zone from 8 cm below to 30 cm above the shoulder (above that no TLV applies);
* horizontal zone (H = horizontal distance from the mid-point between the ankles to the
  mid-point of the hands): close < 30 cm, intermediate 30-60 cm, extended 60-80 cm
  (beyond 80 cm no TLV applies).

12-zone numbering (inferred for Snyder et al. 2021, whose Fig. 1 is an image): zones are numbered
row by row from the top, close to far: 1-3 reach limit (close, intermediate, extended),
4-6 knuckle-shoulder, 7-9 mid-shin-knuckle, 10-12 floor-mid-shin. Why: (a) the paper says
all lifts started at a zone's midpoint except zones 1-3, 4, 7 and 10 "altered to provide
realistic motion": that is exactly the top row (out of comfortable reach) plus the close
column (a close zone's midpoint lies inside the body); (b) with this numbering the paper's
Table 1 map (low 4, 5; medium 6-9; high 1-3, 10-12) gives low risk to the close and
intermediate zones between knuckle and shoulder height (the "power zone", zone 4 has the
highest TLV, 32 kg), medium to the rest of the two middle rows, and high to every zone above
the shoulder or below mid-shin (all NKSL zones among them), a zoning that follows the TLV
table's rows; numbering bottom-up or far-to-close would make floor-level or extended
zones "low";
(c) class counts 120/240/360 = 2/4/6 zones x 60 trials.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftrisk.errors import DataQualityError
from liftrisk.risk.tables import read_csv

VERTICAL_ZONES = ("reach_limit", "knuckle_to_shoulder", "mid_shin_to_knuckle", "floor_to_mid_shin")
HORIZONTAL_ZONES = ("close", "intermediate", "extended")
_CSV_ROWS = {"reach_limit": "reach_limit_30cm_above_to_8cm_below_shoulder",
             "knuckle_to_shoulder": "knuckle_height_to_below_shoulder",
             "mid_shin_to_knuckle": "middle_shin_to_knuckle_height",
             "floor_to_mid_shin": "floor_to_middle_shin"}
_CSV_COLS = {"close": "close_lt_30cm_kg", "intermediate": "intermediate_30_60cm_kg",
             "extended": "extended_60_80cm_kg"}
#: Snyder et al. 2021, Table 1: zone -> relative risk
ZONE_RISK = {4: "low", 5: "low", 6: "medium", 7: "medium", 8: "medium", 9: "medium",
             1: "high", 2: "high", 3: "high", 10: "high", 11: "high", 12: "high"}


@dataclass(frozen=True)
class BodyLandmarks:
    """Heights above the floor (m) of the worker's landmarks that bound the vertical zones.

    Attributes
    ----------
    mid_shin_m : float
        Middle of the shin (m above the floor).
    knuckle_m : float
        Knuckle height with the arms hanging (m).
    shoulder_m : float
        Shoulder height standing upright (m).

    Examples
    --------
    >>> BodyLandmarks(mid_shin_m=0.27, knuckle_m=0.76, shoulder_m=1.44).shoulder_m
    1.44
    """

    mid_shin_m: float
    knuckle_m: float
    shoulder_m: float

    def __post_init__(self) -> None:
        if not 0 < self.mid_shin_m < self.knuckle_m < self.shoulder_m - 0.08:
            raise DataQualityError(f"body landmarks {self} are not increasing (mid-shin < knuckle < "
                                   "shoulder - 8 cm); check the units (m) and the floor height")


# Drillis & Contini (1966) via Winter (2009) Fig. 4.1: heights as fractions of stature.
MID_SHIN_PER_STATURE = (0.285 + 0.039) / 2  # between knee and ankle joint heights
KNUCKLE_PER_STATURE = (0.485 + 0.377) / 2  # between wrist and fingertip heights, arms hanging
SHOULDER_PER_STATURE = 0.818


def landmarks_from_stature(height_m: float) -> BodyLandmarks:
    """Landmark heights (m above the floor) from the worker's stature alone.

    Segment-length fractions of stature of Drillis & Contini (1966), as drawn in Winter
    (2009, Fig. 4.1): mid-shin 0.162 H (between knee 0.285 H and ankle 0.039 H), knuckle
    0.431 H (between wrist 0.485 H and fingertip 0.377 H, arms hanging), shoulder 0.818 H.

    Parameters
    ----------
    height_m : float
        Stature, m.

    Returns
    -------
    BodyLandmarks

    Examples
    --------
    >>> lm = landmarks_from_stature(1.78)
    >>> round(lm.mid_shin_m, 3), round(float(lm.knuckle_m), 3), round(lm.shoulder_m, 3)
    (0.288, 0.767, 1.456)
    """
    h = float(height_m)
    return BodyLandmarks(MID_SHIN_PER_STATURE * h, KNUCKLE_PER_STATURE * h, SHOULDER_PER_STATURE * h)


def body_landmarks(motion, floor_z_m: float = 0.0, upright_quantile: float = 0.95) -> BodyLandmarks:
    """Landmark heights of the worker estimated from the motion itself (m above the floor).

    * shoulder: the ``upright_quantile`` of the shoulders' mean height over the recording
      (the worker stands upright at some point of a lifting cycle);
    * mid-shin: mean of knee and ankle heights at the same quantile (upright legs);
    * knuckle: standing knuckle height with the arms hanging = shoulder height minus the
      arm length measured in the motion (shoulder-elbow + elbow-wrist + wrist-hand median
      lengths; without hand points the wrist-to-knuckle length is taken as 0.4 x forearm,
      an approximation noted here).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with shoulders, elbows, wrists (or hands), knees and ankles
        (m, Z-up world frame).
    floor_z_m : float
        Floor height in the motion's frame (m).
    upright_quantile : float
        Quantile (0-1) of the shoulder height taken as the upright shoulder height.

    Returns
    -------
    BodyLandmarks
        Mid-shin, knuckle and shoulder heights (m above the floor).

    Examples
    --------
    >>> from liftrisk.core.motion import Motion
    >>> pts = {"l_shoulder": [0, .2, 1.44], "r_shoulder": [0, -.2, 1.44], "l_elbow": [0, .2, 1.14],
    ...        "r_elbow": [0, -.2, 1.14], "l_wrist": [0, .2, .88], "r_wrist": [0, -.2, .88],
    ...        "l_hand": [0, .2, .80], "r_hand": [0, -.2, .80], "l_knee": [0, .1, .50],
    ...        "r_knee": [0, -.1, .50], "l_ankle": [0, .1, .08], "r_ankle": [0, -.1, .08]}
    >>> lm = body_landmarks(Motion.from_points({k: np.array([v], float) for k, v in pts.items()}, rate_hz=1))
    >>> round(float(lm.mid_shin_m), 3), round(float(lm.knuckle_m), 3), round(float(lm.shoulder_m), 3)
    (0.29, 0.8, 1.44)
    """
    def length(a, b):
        return np.nanmedian(np.linalg.norm(motion[a] - motion[b], axis=1))

    need = ("l_shoulder", "r_shoulder", "l_elbow", "l_wrist", "l_knee", "r_knee", "l_ankle", "r_ankle")
    if not motion.has(*need):
        raise DataQualityError(f"{motion.source or 'motion'} lacks some of {need}; body landmarks for the "
                               "ACGIH zones need shoulders, elbows, wrists, knees and ankles. Fix: give "
                               "BodyLandmarks(mid_shin_m, knuckle_m, shoulder_m) measured on the worker")
    q = upright_quantile
    sh = float(np.nanquantile(0.5 * (motion["l_shoulder"][:, 2] + motion["r_shoulder"][:, 2]), q)) - floor_z_m
    knee = float(np.nanquantile(0.5 * (motion["l_knee"][:, 2] + motion["r_knee"][:, 2]), q)) - floor_z_m
    ankle = float(np.nanmedian(0.5 * (motion["l_ankle"][:, 2] + motion["r_ankle"][:, 2]))) - floor_z_m
    ua, fa = length("l_shoulder", "l_elbow"), length("l_elbow", "l_wrist")
    hand = length("l_wrist", "l_hand") if motion.has("l_hand") else 0.4 * fa
    return BodyLandmarks(mid_shin_m=0.5 * (knee + ankle), knuckle_m=sh - (ua + fa + hand), shoulder_m=sh)


def tlv_table() -> dict:
    """TLV Table 1 as {(vertical zone, horizontal zone): limit kg (NaN = NKSL)}.

    Returns
    -------
    dict
        (vertical zone, horizontal zone) -> TLV limit (kg; NaN = no known safe limit).

    Examples
    --------
    >>> tlv_table()[("knuckle_to_shoulder", "close")]
    32.0
    """
    df = read_csv("acgih_lifting_tlv_table1.csv")
    out = {}
    for vz, row_name in _CSV_ROWS.items():
        row = df[df["vertical_zone"] == row_name].iloc[0]
        for hz, col in _CSV_COLS.items():
            val = str(row[col]).strip()
            out[(vz, hz)] = float("nan") if val.upper() == "NKSL" else float(val)
    return out


def vertical_zone(v_m, landmarks: BodyLandmarks) -> np.ndarray:
    """Vertical zone name of each hand height (``""`` above the reach limit).

    Parameters
    ----------
    v_m : array_like
        Hand heights above the floor (m).
    landmarks : BodyLandmarks
        The worker's landmark heights (m above the floor).

    Returns
    -------
    numpy.ndarray
        Vertical zone names (str).

    Examples
    --------
    >>> lm = BodyLandmarks(0.27, 0.76, 1.44)
    >>> vertical_zone([0.1, 0.5, 1.0, 1.40, 1.9], lm).tolist()
    ['floor_to_mid_shin', 'mid_shin_to_knuckle', 'knuckle_to_shoulder', 'reach_limit', '']
    """
    v = np.asarray(v_m, float)
    edges = np.array([landmarks.mid_shin_m, landmarks.knuckle_m, landmarks.shoulder_m - 0.08,
                      landmarks.shoulder_m + 0.30])
    idx = np.searchsorted(edges, v, side="left")
    names = np.array(["floor_to_mid_shin", "mid_shin_to_knuckle", "knuckle_to_shoulder", "reach_limit", ""],
                     dtype=object)
    return np.where(np.isfinite(v), names[idx], "")


def horizontal_zone(h_m) -> np.ndarray:
    """Horizontal zone of each H (m): close < 0.30, intermediate 0.30-0.60, extended > 0.60-0.80.

    Parameters
    ----------
    h_m : array_like
        Horizontal distances of the hands from the mid-point between the ankles (m).

    Returns
    -------
    numpy.ndarray
        ``"close"``, ``"intermediate"``, ``"extended"`` or ``""`` (beyond 0.80 m).

    Examples
    --------
    >>> horizontal_zone([0.2, 0.3, 0.7, 0.9]).tolist()
    ['close', 'intermediate', 'extended', '']
    """
    h = np.asarray(h_m, float)
    return np.select([h < 0.30, h <= 0.60, h <= 0.80], ["close", "intermediate", "extended"], "").astype(object)


def zone_number(vzone, hzone) -> np.ndarray:
    """12-zone number (1-12, 0 = outside) of each (vertical, horizontal) zone pair.

    Parameters
    ----------
    vzone, hzone : array_like of str
        Vertical and horizontal zone names (`vertical_zone`, `horizontal_zone`).

    Returns
    -------
    numpy.ndarray
        Zone numbers 1-12 (int; 0 = outside the zones).

    Examples
    --------
    >>> zone_number(["reach_limit", "knuckle_to_shoulder", "floor_to_mid_shin"],
    ...             ["close", "intermediate", "extended"]).tolist()
    [1, 5, 12]
    """
    vz = np.atleast_1d(np.asarray(vzone, dtype=object))
    hz = np.atleast_1d(np.asarray(hzone, dtype=object))
    vi = {z: i for i, z in enumerate(VERTICAL_ZONES)}
    hi = {z: i for i, z in enumerate(HORIZONTAL_ZONES)}
    return np.array([3 * vi[v] + hi[h] + 1 if (v in vi and h in hi) else 0 for v, h in zip(vz, hz, strict=True)])


def zone_risk(zone):
    """Low/medium/high risk of a 12-zone number (Snyder et al. 2021, Table 1; "" for 0 = outside).

    The one zone -> risk map of liftrisk (the IMU classifier's labels use it too).

    Parameters
    ----------
    zone : int or array of int
        Zone numbers 1-12 (numbering in the module docstring), or 0 for a hand location
        outside every zone (as `zone_number` returns).

    Returns
    -------
    str or numpy.ndarray of str
        ``"low"``, ``"medium"``, ``"high"`` (``""`` for 0); a str for a scalar zone, an object
        array of the input's shape otherwise.

    Raises
    ------
    DataQualityError
        A zone that is not an integer 0-12.

    Examples
    --------
    >>> zone_risk([4, 6, 10]).tolist(), zone_risk(12)
    (['low', 'medium', 'high'], 'high')
    """
    arr = np.asarray(zone, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, z in np.ndenumerate(arr):
        out[idx] = _one_zone_risk(z)
    return str(out[()]) if out.ndim == 0 else out


def _one_zone_risk(zone) -> str:
    try:
        z = int(zone)
        ok = z == zone and 0 <= z <= 12 and not isinstance(zone, (bool, np.bool_))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise DataQualityError(f"zone is {zone!r}; expected an integer ACGIH zone 1-12 (0 = outside the zones)")
    return ZONE_RISK.get(z, "")


def tlv_limit_kg(v_m, h_m, landmarks: BodyLandmarks) -> np.ndarray:
    """TLV Table 1 limit (kg) at each hand location; NaN where NKSL or outside the zones.

    Parameters
    ----------
    v_m, h_m : array_like
        Hand height above the floor and horizontal distance (m).
    landmarks : BodyLandmarks
        The worker's landmark heights (m above the floor).

    Returns
    -------
    numpy.ndarray
        TLV limit (kg; NaN where no known safe limit or outside the zones).

    Examples
    --------
    >>> lm = BodyLandmarks(0.27, 0.76, 1.44)
    >>> tlv_limit_kg([1.0, 0.5, 0.1], [0.2, 0.5, 0.5], lm).tolist()
    [32.0, 14.0, nan]
    """
    vz = np.atleast_1d(vertical_zone(v_m, landmarks))
    hz = np.atleast_1d(horizontal_zone(h_m))
    tab = tlv_table()
    return np.array([tab.get((v, h), float("nan")) for v, h in zip(vz, hz, strict=True)], float)


def assess_lift(v_m: float, h_m: float, landmarks: BodyLandmarks, load_kg: float | None = None) -> dict:
    """Zone, TLV limit and Snyder et al. 2021 risk class of one lift origin.

    Parameters
    ----------
    v_m, h_m : float
        Hand height above the floor and horizontal distance at the lift origin (m).
    landmarks : BodyLandmarks
        The worker's landmark heights (m above the floor).
    load_kg : float, optional
        Mass lifted (kg), compared with the limit.

    Returns
    -------
    dict
        ``vertical_zone``, ``horizontal_zone``, ``zone`` (1-12), ``tlv_kg`` (kg), ``risk``
        (Snyder et al. 2021 class) and ``exceeds_tlv`` (None without a load).

    Examples
    --------
    >>> r = assess_lift(1.0, 0.2, BodyLandmarks(0.27, 0.76, 1.44), load_kg=20.0)
    >>> r["zone"], r["tlv_kg"], r["risk"], r["exceeds_tlv"]
    (4, 32.0, 'low', False)
    """
    vz = str(vertical_zone([v_m], landmarks)[0])
    hz = str(horizontal_zone([h_m])[0])
    z = int(zone_number([vz], [hz])[0])
    lim = float(tlv_limit_kg([v_m], [h_m], landmarks)[0])
    exceeds = None
    if load_kg is not None:
        exceeds = bool(np.isnan(lim) or load_kg > lim) if z else None
    return {"vertical_zone": vz, "horizontal_zone": hz, "zone": z, "tlv_kg": lim,
            "risk": ZONE_RISK.get(z, ""), "exceeds_tlv": exceeds}
