"""Rating of each detected lift: NIOSH RWL / LI at its origin and destination (Waters et
al. 1994) and the ACGIH TLV zone at its origin (`liftrisk.risk.acgih`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.kinematics.lift_events import hold_window_s
from liftrisk.risk.acgih import BodyLandmarks, assess_lift
from liftrisk.risk.niosh import li_category, rwl


@dataclass(frozen=True, eq=False)
class LiftAssessment:
    """One detected lift with its NIOSH and ACGIH results.

    Attributes
    ----------
    index : int
        Number of the lift in the recording (0-based).
    lift : Lift
        Its geometry (`liftrisk.kinematics.lift_events.Lift`; m, deg, s).
    niosh_origin, niosh_destination : RnleResult
        RWL (kg) and LI at the origin and destination.
    li : float
        The larger lifting index of the two (dimensionless).
    li_category : str
        Its interpretation (`liftrisk.risk.niosh.li_category`).
    acgih : dict
        `liftrisk.risk.acgih.assess_lift` at the origin (zone, TLV limit in kg, risk class).
    """

    index: int
    lift: object
    niosh_origin: object
    niosh_destination: object
    li: float
    li_category: str
    acgih: dict

    def row(self) -> dict:
        """One flat table row (SI units, cm only where NIOSH uses it)."""
        o, d = self.lift.origin, self.lift.destination
        g, r = hold_window_s(self.lift)
        kind = getattr(self.lift, "kind", "lift" if d.v_m >= o.v_m else "lower")
        return {"lift": self.index + 1, "kind": kind, "grasp_s": g, "release_s": r, "h_origin_m": o.h_m,
                "v_origin_m": o.v_m, "a_origin_deg": o.a_deg, "h_dest_m": d.h_m, "v_dest_m": d.v_m,
                "a_dest_deg": d.a_deg, "d_m": self.lift.d_m, "rwl_origin_kg": self.niosh_origin.rwl,
                "li_origin": self.niosh_origin.li, "rwl_dest_kg": self.niosh_destination.rwl,
                "li_dest": self.niosh_destination.li, "li": self.li, "li_category": self.li_category,
                "acgih_zone": self.acgih.get("zone"), "acgih_tlv_kg": self.acgih.get("tlv_kg"),
                "acgih_risk": self.acgih.get("risk"), "exceeds_tlv": self.acgih.get("exceeds_tlv")}


def rate_lifts(lifts: Sequence, load_kg: float | Sequence[float], landmarks: BodyLandmarks, *, lifts_per_min: float,
               duration_h: float, coupling: str) -> tuple[list[LiftAssessment], list[str]]:
    """NIOSH and ACGIH rating of every lift whose hand positions are known.

    Parameters
    ----------
    lifts : sequence of `liftrisk.kinematics.lift_events.Lift`
    load_kg : float or sequence of float
        Mass lifted, kg, for every lift or one per lift (e.g. measured from the feet:
        `liftrisk.kinetics.load_from_feet.lift_load_kg`); 0 = unknown: NIOSH LI and the TLV
        check are then not meaningful.
    landmarks : BodyLandmarks
        The worker's vertical-zone landmarks, m.
    lifts_per_min, duration_h, coupling :
        NIOSH task frequency (lifts/min), work duration (h) and hand coupling
        ("good", "fair", "poor").

    Returns
    -------
    (rated, warnings)
        One `LiftAssessment` per rated lift (index = position in `lifts`) and a sentence for
        every lift left out (unknown hand positions, or out of the equation's range).

    Examples
    --------
    >>> from liftrisk.kinematics.lift_events import Lift, LiftPoint
    >>> from liftrisk.risk.acgih import landmarks_from_stature
    >>> o = LiftPoint(0.5, 30, 0.30, 0.25, 0.0, (0.3, 0.0, 0.25))
    >>> d = LiftPoint(1.5, 90, 0.30, 0.95, 0.0, (0.3, 0.0, 0.95))
    >>> rated, notes = rate_lifts([Lift(o, d)], 10.0, landmarks_from_stature(1.78), lifts_per_min=1.0,
    ...                           duration_h=1.0, coupling="fair")
    >>> round(rated[0].niosh_origin.rwl, 1), rated[0].li_category, notes
    (12.9, 'design goal (LI <= 1)', [])
    """
    rated, warnings = [], []
    loads = np.asarray(load_kg, float) if np.ndim(load_kg) else None
    if loads is not None and loads.shape != (len(lifts),):
        raise DataQualityError(f"load_kg has {loads.size} values for {len(lifts)} lifts; give one per lift or a scalar")
    for i, lift in enumerate(lifts):
        o, d = lift.origin, lift.destination
        if loads is not None:
            load_kg = float(loads[i])
        if not np.isfinite([o.h_m, o.v_m, d.h_m, d.v_m]).all():
            warnings.append(f"lift {i + 1}: the hands' position at the grasp or release is unknown (hands or feet "
                            "not tracked there), so NIOSH and ACGIH are not rated for it")
            continue
        try:
            no = rwl(o.h_m, o.v_m, lift.d_m, o.a_deg, lifts_per_min, duration_h, coupling, load_kg)
            nd = rwl(d.h_m, d.v_m, lift.d_m, d.a_deg, lifts_per_min, duration_h, coupling, load_kg,
                     v_origin_m=o.v_m)
        except LiftriskError as exc:
            warnings.append(f"lift {i + 1}: NIOSH not computed ({exc})")
            continue
        li = float(np.nanmax([no.li, nd.li]))
        rated.append(LiftAssessment(i, lift, no, nd, li, li_category(li),
                                    assess_lift(o.v_m, o.h_m, landmarks, load_kg if load_kg else None)))
    return rated, warnings
