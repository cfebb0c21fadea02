"""Ground reaction under each foot estimated from whole-body dynamics (no force plates).

Video and mocap without force plates give no measured ground reaction; the whole body's
Newton-Euler equations give its total (force and moment), and `estimate_ground_reaction`
places its centre of pressure and shares it between the feet (method and sources in its
docstring). A centre of pressure outside the feet is clipped to them and reported as off
balance (`off_balance_frames`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from liftrisk.core.constants import GRAVITY_MPS2
from liftrisk.core.loads import GroundReaction, HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction
from liftrisk.processing import spans_s

#: COP distance outside the heel-toe hull (m) above which a frame is off balance (the hull of
#: four points is slightly smaller than the real foot outline)
OFF_BALANCE_TOLERANCE_M = 0.02


@dataclass(frozen=True, eq=False)
class GroundReactionEstimate:
    """Ground reaction per foot estimated from whole-body dynamics (no force plates).

    Attributes
    ----------
    feet : list of GroundReaction
        [left, right] (world frame, Z-up; force of the ground on the foot, N; centre of
        pressure on the floor, m; free moment about the vertical only, N·m).
    cop_m : numpy.ndarray
        (T, 3) whole-body centre of pressure used (clipped to the base of support), m.
    cop_raw_m : numpy.ndarray
        (T, 3) the centre of pressure implied by the motion before clipping, m.
    left_share : numpy.ndarray
        (T,) fraction of the ground reaction carried by the left foot (0-1).
    outside_m : numpy.ndarray
        (T,) distance of ``cop_raw_m`` outside the base of support, m (0 inside).
    warnings : list of str
        Plain-language warnings (off-balance spans, no support force).
    """

    feet: list
    cop_m: np.ndarray
    cop_raw_m: np.ndarray
    left_share: np.ndarray
    outside_m: np.ndarray
    warnings: list

    def table(self, time_s: np.ndarray) -> pd.DataFrame:
        """COP, left share and off-balance distance as a DataFrame indexed by time (m)."""
        return pd.DataFrame({"cop_x_m": self.cop_m[:, 0], "cop_y_m": self.cop_m[:, 1],
                             "cop_outside_support_m": self.outside_m, "left_foot_share": self.left_share},
                            index=pd.Index(np.asarray(time_s, float), name="time_s"))


def _inside_triangle(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(T,) True where 2D point p lies in triangle abc (inclusive; degenerate triangles: False)."""
    def cross(u, v, w):
        return (v[:, 0] - u[:, 0]) * (w[:, 1] - u[:, 1]) - (v[:, 1] - u[:, 1]) * (w[:, 0] - u[:, 0])
    area = cross(a, b, c)
    d1, d2, d3 = cross(a, b, p), cross(b, c, p), cross(c, a, p)
    ok = np.abs(area) > 1e-12
    same = ((d1 >= 0) & (d2 >= 0) & (d3 >= 0)) | ((d1 <= 0) & (d2 <= 0) & (d3 <= 0))
    return ok & same


def clip_to_support(point_xy: np.ndarray, corners_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clip points to the convex hull of a few support points, frame by frame (vectorised).

    The hull of n points is the union of the triangles of any three of them (Carathéodory),
    and a point outside it is nearest to one of the hull's edges, which are among the
    segments joining two points; so inside = in any triangle, and the clipped point is the
    nearest point over all segments.

    Parameters
    ----------
    point_xy : (T, 2) array, m
    corners_xy : (T, n, 2) array, m (e.g. heels and toes on the floor, n = 4)

    Returns
    -------
    clipped_xy : (T, 2) array, m
    outside_m : (T,) array, distance outside the hull (0 inside), m

    Examples
    --------
    >>> sq = np.array([[[0, 0], [1, 0], [1, 1], [0, 1.0]]] * 2)
    >>> xy, d = clip_to_support(np.array([[0.5, 0.5], [1.5, 0.5]]), sq)
    >>> xy.tolist(), d.tolist()
    ([[0.5, 0.5], [1.0, 0.5]], [0.0, 0.5])
    """
    p = np.asarray(point_xy, float)
    c = np.asarray(corners_xy, float)
    n = c.shape[1]
    inside = np.zeros(len(p), bool)
    for i, j, k in combinations(range(n), 3):
        inside |= _inside_triangle(p, c[:, i], c[:, j], c[:, k])
    best = np.full(len(p), np.inf)
    near = p.copy()
    for i, j in combinations(range(n), 2):
        a, b = c[:, i], c[:, j]
        ab = b - a
        den = np.einsum("ti,ti->t", ab, ab)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.clip(np.where(den > 0, np.einsum("ti,ti->t", p - a, ab) / den, 0.0), 0.0, 1.0)
        q = a + s[:, None] * ab
        d = np.linalg.norm(p - q, axis=1)
        better = d < best
        best = np.where(better, d, best)
        near = np.where(better[:, None], q, near)
    ok = inside | ~np.isfinite(best)
    return np.where(ok[:, None], p, near), np.where(ok, 0.0, best)


def estimate_ground_reaction(motion: Motion, subject: Subject, hand_load: HandLoad | None = None,
                             floor_z_m: float = 0.0, hold_intervals_s=None, *,
                             off_balance_tolerance_m: float = OFF_BALANCE_TOLERANCE_M,
                             kinematics: dict | None = None) -> GroundReactionEstimate:
    """Ground reaction under each foot from whole-body dynamics (video / mocap without plates).

    1. Whole-body Newton-Euler (`liftrisk.kinetics.inverse_dynamics.whole_body_ground_reaction`)
       gives the ground force F and its moment M about a floor point P (mid-feet).
    2. The centre of pressure is the floor point where the horizontal moment of the ground
       reaction vanishes (the zero-moment point; Dijkstra & Gutierrez-Farewik 2015,
       J Biomech 48:3776): ``COP = P + (-M_y / F_z, M_x / F_z, 0)``; only the vertical
       free moment ``T_z = M_z - (d_x F_y - d_y F_x)`` remains (ground contact transmits no
       horizontal moment).
    3. Base of support = convex hull of the heels and toes on the floor. A COP outside it
       means the recorded posture is not in balance (pose / 3D / segment-mass error, or an
       unmodelled support such as a hand on a table): it is clipped to the hull (then the
       whole-body equilibrium no longer holds exactly) and a warning gives the time spans.
    4. Distribution between the feet (double support, both feet flat - lifting): each foot's
       contact point c_l, c_r = mid heel-toe; the left share is the lever rule
       ``s = (COP - c_r)·u / |u|²`` with ``u = c_l - c_r`` (clipped to 0-1): the unique split
       that keeps each foot's force under its own foot and reproduces the COP in static
       equilibrium. Both feet's COPs move by the COP's offset from the line c_r-c_l, so
       ``s COP_l + (1 - s) COP_r = COP`` and the total wrench is exact. F and T_z are shared
       in the same proportion. This is the distance-based rule of kinematics-only GRF
       estimation in double support; Ren, Jones & Howard (2008, J Biomech 41:2750) and
       Karatsidis et al. (2017, Sensors 17:75) use a time-based smooth-transition function
       instead, which needs gait events that lifting does not have.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (Z-up world, m) with ankles, ideally heels and toes.
    subject : Subject
    hand_load : HandLoad, optional
    floor_z_m : float
        Floor height, m.
    hold_intervals_s : sequence of (grasp_s, release_s), optional
        When the hands hold the load (None: throughout).
    off_balance_tolerance_m : float
        COP distance outside the heel-toe hull (m) above which a frame is reported as off
        balance (the hull of four points is slightly smaller than the real foot outline).
    kinematics : dict, optional
        Cache of the segments' frames and angular kinematics, used and filled (see
        `liftrisk.kinetics.inverse_dynamics.segment_states`): pass the same dict to
        `bottom_up` on the same motion to compute them once.

    Returns
    -------
    GroundReactionEstimate

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> est = estimate_ground_reaction(demo_posture(3), Subject("male", 80, 1.78))
    >>> round(float(est.left_share[0]), 2), est.warnings
    (0.5, [])
    """
    t = motion.time_s
    feet_pts, centres = {}, {}
    for s in ("l", "r"):
        if motion.has(f"{s}_heel", f"{s}_toe"):
            pts = [motion[f"{s}_heel"], motion[f"{s}_toe"]]
        else:
            pts = [motion[f"{s}_ankle"]]
        feet_pts[s] = [p[:, :2] for p in pts]
        centres[s] = np.mean(pts, axis=0) * [1.0, 1.0, 0.0] + [0.0, 0.0, floor_z_m]
    mid = 0.5 * (centres["l"] + centres["r"])
    whole = whole_body_ground_reaction(motion, subject, hand_load, cop_m=mid, hold_intervals_s=hold_intervals_s,
                                       kinematics=kinematics)
    f, m = whole.force_n, whole.free_moment_nm
    warnings = []
    fz_min = 0.1 * subject.mass_kg * GRAVITY_MPS2
    support = f[:, 2] > fz_min
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(support[:, None], np.column_stack([-m[:, 1], m[:, 0]]) / f[:, 2:3], 0.0)
    raw = mid.copy()
    raw[:, :2] += d
    corners = np.stack(feet_pts["l"] + feet_pts["r"], axis=1)
    clipped_xy, outside = clip_to_support(raw[:, :2], corners)
    cop = raw.copy()
    cop[:, :2] = clipped_xy
    dxy = cop[:, :2] - mid[:, :2]
    tz = np.where(support, m[:, 2] - (dxy[:, 0] * f[:, 1] - dxy[:, 1] * f[:, 0]), 0.0)
    if (~support & np.isfinite(f[:, 2])).any():
        spans = spans_s(~support & np.isfinite(f[:, 2]), t)
        warnings.append(f"the vertical ground reaction implied by the motion is below 10 % of body weight at "
                        f"{_span_text(spans)} (a jump, or accelerations from noisy positions); the feet share it "
                        "equally there, under the mid-feet")
    off = outside > off_balance_tolerance_m
    if off.any():
        spans = spans_s(off, t)
        total = float(np.sum(np.gradient(t)[off])) if t.size > 1 else 0.0
        warnings.append(
            f"off balance: the centre of pressure implied by the motion falls outside the feet (base of support) by "
            f"{_cm_text(float(np.nanmax(outside)))} at {_span_text(spans)} ({total:.2f} s in all). A person "
            "standing on the floor cannot do that, so the 3D posture (pose estimate, depth, body proportions) is off "
            "there, or something else supports the body; the centre of pressure was clipped to the edge of the feet "
            "and the hip, knee and ankle moments and workloads at those times are unreliable.")
    u = centres["l"][:, :2] - centres["r"][:, :2]
    uu = np.einsum("ti,ti->t", u, u)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(uu > 1e-6, np.einsum("ti,ti->t", cop[:, :2] - centres["r"][:, :2], u) / uu, 0.5)
    share = np.clip(np.nan_to_num(share, nan=0.5), 0.0, 1.0)
    offset = cop[:, :2] - (centres["r"][:, :2] + share[:, None] * u)
    feet = []
    for s, w in (("l", share), ("r", 1.0 - share)):
        p = centres[s].copy()
        p[:, :2] += offset
        free = np.zeros_like(f)
        free[:, 2] = w * tz
        # C-ordered arrays (kinetics' _resample_grf writes into a transposed view of its inputs)
        feet.append(GroundReaction(t, np.ascontiguousarray(w[:, None] * f), np.ascontiguousarray(p),
                                   np.ascontiguousarray(free), foot={"l": "left", "r": "right"}[s],
                                   name=f"estimated_{s}"))
    return GroundReactionEstimate(feet, cop, raw, share, outside, warnings)


def _cm_text(d_m: float) -> str:
    return f"up to {100 * d_m:.0f} cm" if d_m < 1.0 else "more than 1 m"


def _span_text(spans: list[tuple[float, float]], n_max: int = 4) -> str:
    txt = ", ".join(f"{a:.2f} s" if b - a < 1e-9 else f"{a:.2f}-{b:.2f} s" for a, b in spans[:n_max])
    return txt + (f" and {len(spans) - n_max} more spans" if len(spans) > n_max else "")


def split_ground_reaction(motion: Motion, subject: Subject, hand_load: HandLoad | None,
                          floor_z_m: float = 0.0, hold_intervals_s=None) -> list[GroundReaction]:
    """[left, right] ground reactions estimated from whole-body dynamics (see
    `estimate_ground_reaction`, which also returns the COP and the off-balance warnings).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    subject : Subject
        Sex, body mass (kg) and stature (m) for the segment parameters.
    hand_load : HandLoad or None
        What the hands hold (box mass in kg or measured force in N); None = nothing.
    floor_z_m : float
        Floor height in the motion's frame (m).
    hold_intervals_s : sequence of (float, float), optional
        (start, end) times (s) when the box is held; None = held throughout.

    Returns
    -------
    list of GroundReaction
        [left, right] ground reactions (N, m, N·m, world frame).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.synthetic import neutral_body
    >>> left, right = split_ground_reaction(neutral_body(n_frames=3), Subject("male", 80.0, 1.80), None)
    >>> round(float(left.force_n[0, 2] + right.force_n[0, 2]), 1)
    784.8
    """
    return estimate_ground_reaction(motion, subject, hand_load, floor_z_m, hold_intervals_s).feet


def off_balance_frames(lower: pd.DataFrame | None, rate_hz: float, tolerance_m: float = OFF_BALANCE_TOLERANCE_M,
                       margin_s: float = 0.1) -> np.ndarray | None:
    """(T,) frames whose whole-body centre of pressure fell outside the feet.

    Parameters
    ----------
    lower : pandas.DataFrame or None
        Bottom-up table with ``cop_outside_support_m`` (`GroundReactionEstimate.table`
        joined to `liftrisk.kinetics.bottom_up`), m.
    rate_hz : float
        Frame rate, Hz.
    tolerance_m : float
        Distance outside the feet (m) above which a frame counts.
    margin_s : float
        Each span is widened by this much on both sides (the low-pass filter's transition), s.

    Returns
    -------
    numpy.ndarray of bool (T,) or None
        None when `lower` has no ``cop_outside_support_m`` column (nothing estimated): the
        hip, knee and ankle loads of the True frames rest on a clipped COP.

    Examples
    --------
    >>> low = pd.DataFrame({"cop_outside_support_m": [0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0]})
    >>> off_balance_frames(low, 10.0).astype(int).tolist()
    [0, 0, 1, 1, 1, 0, 0]
    """
    if lower is None or "cop_outside_support_m" not in lower:
        return None
    off = lower["cop_outside_support_m"].to_numpy(float) > tolerance_m
    if not off.any():
        return off
    k = int(round(margin_s * rate_hz))
    return np.convolve(off.astype(float), np.ones(2 * k + 1), mode="same") > 0 if k else off
