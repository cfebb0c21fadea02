"""Body-segment inertial parameters (de Leva 1996) placed on canonical joint centres.

Source: de Leva P (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters.
J Biomech 29:1223-1230, Table 4 (package data file ``data/kinetics/de_leva_1996_table4.csv``,
see its SOURCE.md). Mass, CoM and inertia follow Mehrizi et al. 2019, eq. 5-7:

* ``m_i = r_m,i * M`` (eq. 5),
* ``com_i = p_prox + r_cm,i (p_dist - p_prox)`` (eq. 6),
* ``I_i = m_i (l_i r_i)^2`` about the segment's principal axes (eq. 7), with ``l_i`` the
  segment length measured on the motion (median over frames, so the body stays rigid).

The body is split into 16 segments whose mass fractions sum to 1 (hands included):
``head_neck``, ``upper_trunk``, ``middle_trunk``, ``lower_trunk`` (= pelvis), and per side
``upper_arm``, ``forearm``, ``hand``, ``thigh``, ``shank``, ``foot`` (prefix ``l_``/``r_``).

Endpoint choices (canonical points from `liftrisk.core.skeletons`):

==============  ============================  ==============================================
segment         de Leva row (endpoints)        canonical endpoints (span along the line)
==============  ============================  ==============================================
head_neck       head_alt (VERT-CERV)           neck -> head (CoM 0.5002 from the head point)
upper_trunk     upper_trunk_UPT_alt (CERV-XYPH) neck -> l5s1, span 0 .. f_x
middle_trunk    middle_trunk_MPT (XYPH-OMPH)   neck -> l5s1, span f_x .. 1
lower_trunk     lower_trunk_LPT (OMPH-MIDH)    l5s1 -> mid_hip
upper_arm       upper_arm (SJC-EJC)            shoulder -> elbow
forearm         forearm (EJC-WJC)              elbow -> wrist
hand            hand (WJC-MET3)                wrist -> hand
thigh           thigh (HJC-KJC)                hip -> knee
shank           shank_alt_AJC (KJC-AJC)        knee -> ankle
foot            foot (HEEL-TTIP)               heel -> toe
==============  ============================  ==============================================

``f_x = L_UPT,alt / (L_UPT,alt + L_MPT)`` from de Leva's reference lengths (0.529 male).
Approximations (stated, not hidden): the omphalion (OMPH) is taken at L5/S1, so the trunk
above L5/S1 is UPT + MPT and the pelvis is LPT, as in segment models that cut the trunk at
L5/S1; the head point is taken as the vertex (a detector's ear midpoint sits ~8 cm lower).

Segment frames (columns of R are the local axes in the Z-up world frame): for every segment
but the feet, local z = unit(proximal - distal) (longitudinal), local y = the medio-lateral
reference (left minus right shoulder for head, trunk and arms; left minus right hip for
pelvis and legs) made orthogonal to z, local x = y x z (anterior in upright standing).
For the feet, x = unit(toe - heel), y = hip medio-lateral reference made orthogonal,
z = x x y. Principal inertia: de Leva's sagittal radius about local x (antero-posterior),
transverse radius about local y (medio-lateral), longitudinal about local z (feet:
longitudinal about x, transverse about y, sagittal about z).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

import numpy as np

from liftrisk.core.constants import GRAVITY_MPS2
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS, SIDES, detect_skeleton
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, MissingPointError
from liftrisk.kinetics._vec3 import cross3, dot3, unit3

G_VECTOR = np.array([0.0, 0.0, -GRAVITY_MPS2])  # m/s², Z-up world frame (same g as Subject.weight_n)


@lru_cache(maxsize=1)
def de_leva_table() -> MappingProxyType:
    """de Leva (1996) Table 4 rows keyed by ``(segment, sex)``.

    Returns
    -------
    mapping
        ``(segment, sex) -> dict`` with floats ``ref_segment_length_m``,
        ``mass_fraction_of_body``, ``com_fraction_from_proximal``, ``r_gyr_sagittal_frac``,
        ``r_gyr_transverse_frac``, ``r_gyr_longitudinal_frac`` and the endpoint names.

    Examples
    --------
    >>> de_leva_table()[("thigh", "male")]["mass_fraction_of_body"]
    0.1416
    """
    path = resources.files("liftrisk") / "data" / "kinetics" / "de_leva_1996_table4.csv"
    out = {}
    with path.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rec = {k: (v if k in ("segment", "sex", "proximal_endpoint", "distal_endpoint", "table4_half")
                       else float(v)) for k, v in row.items()}
            out[(row["segment"], row["sex"])] = MappingProxyType(rec)
    return MappingProxyType(out)


@dataclass(frozen=True)
class SegmentParams:
    """Inertial parameters of one body segment for one subject.

    Attributes
    ----------
    name : str
        Segment name (``"l_thigh"``, ``"middle_trunk"``, ...).
    mass_kg : float
        Segment mass, kg.
    mass_fraction : float
        Share of body mass (de Leva Table 4).
    proximal, distal : str
        Canonical points defining the carrier line ``proximal -> distal``.
    span : tuple of float
        Start and end of the segment along the carrier line, as fractions (``(0, 1)`` for a
        segment between two joint centres).
    com_fraction : float
        CoM position from the segment's proximal end as a fraction of its length.
    radii_of_gyration : tuple of float
        (sagittal, transverse, longitudinal) radii as fractions of the segment length.
    principal_axes : tuple of int
        Local axis (0 = x, 1 = y, 2 = z) about which each radius acts.
    ml_reference : str
        ``"shoulders"`` or ``"hips"``: the left-minus-right line giving the local y axis.
    source_row : str
        The de Leva Table 4 row used.
    ref_length_m : float
        de Leva's reference-subject segment length (for checks only).
    """

    name: str
    mass_kg: float
    mass_fraction: float
    proximal: str
    distal: str
    span: tuple
    com_fraction: float
    radii_of_gyration: tuple
    principal_axes: tuple
    ml_reference: str
    source_row: str
    ref_length_m: float

    @property
    def is_foot(self) -> bool:
        """True for the feet (their long axis is horizontal: heel -> toe = local x)."""
        return self.name.endswith("foot")

    def endpoints(self, motion) -> tuple[np.ndarray, np.ndarray]:
        """(T, 3) proximal and distal end positions of the segment, m, world frame.

        `motion` is a `Motion` or a mapping point name -> (T, 3) array."""
        p, d = motion[self.proximal], motion[self.distal]
        t0, t1 = self.span
        if t0 == 0.0 and t1 == 1.0:
            return p, d
        return p + t0 * (d - p), p + t1 * (d - p)

    def com(self, motion: Motion) -> np.ndarray:
        """(T, 3) centre of mass, m, world frame (Mehrizi eq. 6)."""
        a, b = self.endpoints(motion)
        return a + self.com_fraction * (b - a)

    def length_m(self, motion: Motion) -> float:
        """Segment length, m: median over frames of the endpoint distance ((T, 3) points)."""
        a, b = self.endpoints(motion)
        ln = np.sqrt(np.sum((b - a) ** 2, axis=1))
        ln = ln[np.isfinite(ln)]
        if ln.size == 0:
            raise DataQualityError(f"segment {self.name}: {self.proximal}/{self.distal} are missing in every frame")
        return float(np.median(ln))

    def inertia_local(self, length_m: float) -> np.ndarray:
        """(3, 3) inertia tensor about the CoM in the segment frame, kg·m² (Mehrizi eq. 7)."""
        diag = np.zeros(3)
        for r, ax in zip(self.radii_of_gyration, self.principal_axes, strict=True):
            diag[ax] = self.mass_kg * (r * length_m) ** 2
        return np.diag(diag)


# (name, de Leva row, proximal point, distal point, span, ml reference, reversed CoM)
# "reversed": de Leva's proximal end is our distal end (head: VERT is de Leva's proximal).
_UPPER = (
    ("head_neck", "head_alt", "neck", "head", None, "shoulders", True),
    ("upper_trunk", "upper_trunk_UPT_alt", "neck", "l5s1", "upt", "shoulders", False),
    ("middle_trunk", "middle_trunk_MPT", "neck", "l5s1", "mpt", "shoulders", False),
    ("lower_trunk", "lower_trunk_LPT", "l5s1", "mid_hip", None, "hips", False),
)
_LIMBS = (
    ("upper_arm", "upper_arm", "shoulder", "elbow", "shoulders"),
    ("forearm", "forearm", "elbow", "wrist", "shoulders"),
    ("hand", "hand", "wrist", "hand", "shoulders"),
    ("thigh", "thigh", "hip", "knee", "hips"),
    ("shank", "shank_alt_AJC", "knee", "ankle", "hips"),
    ("foot", "foot", "heel", "toe", "hips"),
)
SEGMENT_NAMES: tuple[str, ...] = tuple(
    [u[0] for u in _UPPER] + [f"{s}_{limb[0]}" for s in SIDES for limb in _LIMBS])
#: Segments above L5/S1 (top-down chain) and below it (bottom-up chain).
UPPER_BODY: tuple[str, ...] = ("head_neck", "upper_trunk", "middle_trunk") + tuple(
    f"{s}_{n}" for s in SIDES for n in ("upper_arm", "forearm", "hand"))
LOWER_BODY: tuple[str, ...] = ("lower_trunk",) + tuple(
    f"{s}_{n}" for s in SIDES for n in ("thigh", "shank", "foot"))


def segment_parameters(subject: Subject) -> dict[str, SegmentParams]:
    """de Leva (1996) parameters of the 16 segments for one subject.

    Parameters
    ----------
    subject : Subject
        Sex selects the male or female column; body mass scales the masses.

    Returns
    -------
    dict
        Segment name -> `SegmentParams` (names in `SEGMENT_NAMES`); masses sum to the body
        mass within 0.01 % (the published female fractions sum to 0.9999).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> p = segment_parameters(Subject("male", 80.0, 1.78))
    >>> round(p["r_thigh"].mass_kg, 3), p["r_thigh"].proximal, p["r_thigh"].distal
    (11.328, 'r_hip', 'r_knee')
    """
    if not isinstance(subject, Subject):
        raise DataQualityError(f"segment_parameters needs a liftrisk Subject; got {type(subject).__name__}")
    tab = de_leva_table()
    sex = subject.sex
    upt, mpt = tab[("upper_trunk_UPT_alt", sex)], tab[("middle_trunk_MPT", sex)]
    f_x = upt["ref_segment_length_m"] / (upt["ref_segment_length_m"] + mpt["ref_segment_length_m"])
    spans = {None: (0.0, 1.0), "upt": (0.0, f_x), "mpt": (f_x, 1.0)}
    out: dict[str, SegmentParams] = {}

    def make(name, row_name, prox, dist, span, mlref, reversed_com):
        row = tab[(row_name, sex)]
        com = row["com_fraction_from_proximal"]
        radii = (row["r_gyr_sagittal_frac"], row["r_gyr_transverse_frac"], row["r_gyr_longitudinal_frac"])
        axes = (2, 1, 0) if name.endswith("foot") else (0, 1, 2)
        return SegmentParams(
            name=name, mass_kg=row["mass_fraction_of_body"] * subject.mass_kg,
            mass_fraction=row["mass_fraction_of_body"], proximal=prox, distal=dist, span=spans[span],
            com_fraction=1.0 - com if reversed_com else com, radii_of_gyration=radii,
            principal_axes=axes, ml_reference=mlref, source_row=row_name,
            ref_length_m=row["ref_segment_length_m"])

    for name, row_name, prox, dist, span, mlref, rev in _UPPER:
        out[name] = make(name, row_name, prox, dist, span, mlref, rev)
    for side in SIDES:
        for name, row_name, prox, dist, mlref in _LIMBS:
            out[f"{side}_{name}"] = make(f"{side}_{name}", row_name, f"{side}_{prox}", f"{side}_{dist}",
                                         None, mlref, False)
    return out


def required_points(params: dict[str, SegmentParams], names=None) -> tuple[str, ...]:
    """Canonical points the given segments (default: all) need, incl. their ML references.

    Parameters
    ----------
    params : dict
        Segment name -> `SegmentParams`.
    names : sequence of str, optional
        Segments (default: all of `params`).

    Returns
    -------
    tuple of str
        Canonical point names, sorted.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> params = segment_parameters(Subject("male", 80.0, 1.80))
    >>> "l5s1" in required_points(params, ["upper_trunk"])
    True
    """
    names = list(params) if names is None else list(names)
    need: list[str] = []
    for n in names:
        p = params[n]
        refs = ("l_shoulder", "r_shoulder") if p.ml_reference == "shoulders" else ("l_hip", "r_hip")
        for q in (p.proximal, p.distal, *refs):
            if q not in need:
                need.append(q)
    return tuple(need)


def check_points(motion: Motion, points) -> None:
    """Raise `MissingPointError` naming every point of `points` the motion lacks.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres.
    points : iterable of str
        Names that must be present.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> check_points(neutral_body(), ["l_hip", "r_hip"])
    >>> check_points(neutral_body(), ["tail"])
    Traceback (most recent call last):
    ...
    liftrisk.errors.MissingPointError: ...
    """
    missing = [p for p in points if p not in motion]
    if missing:
        raise MissingPointError(f"{motion.source or 'motion'} lacks the points {missing} needed for the "
                                f"segment model; {missing_points_hint(motion, missing)}")


def missing_points_hint(motion: Motion, missing) -> str:
    """How to get the missing points, for the kind of input `motion` is.

    Keypoints of a detector -> `liftrisk.core.to_canonical`; a marker file -> a known marker
    set (`liftrisk.kinematics.joint_centres_from_markers`, which ``liftrisk assess`` runs);
    joint centres already -> those joints were not tracked (out of frame or occluded).

    Parameters
    ----------
    motion : Motion
        The motion that lacks points.
    missing : sequence of str
        The canonical points it lacks.

    Returns
    -------
    str

    Examples
    --------
    >>> m = Motion.from_points({"LASI": np.zeros((2, 3)), "RASI": np.zeros((2, 3))}, rate_hz=100.0)
    >>> "to_canonical" in missing_points_hint(m, ["l_hip"]), "marker set" in missing_points_hint(m, ["l_hip"])
    (False, True)
    """
    names = set(motion.point_names)
    l5 = (" Add L5/S1 with liftrisk.kinematics (add_l5s1) or liftrisk.kinetics.segments.estimate_l5s1."
          if "l5s1" in missing else "")
    if detect_skeleton(motion.point_names) is not None:
        return f"convert the keypoints with liftrisk.core.to_canonical first.{l5}"
    if names and names <= set(CANONICAL_POINTS) | {"box"}:
        return (f"these joints were not tracked (out of frame or occluded); film or record the whole body, or "
                f"give them.{l5}")
    return ("name the markers as a known marker set (e.g. Plug-in Gait; `liftrisk info FILE` lists the file's "
            "points) so liftrisk.kinematics.joint_centres_from_markers (run by `liftrisk assess`) can build the "
            f"joint centres, or give joint centres under canonical names.{l5}")


def estimate_l5s1(motion: Motion, subject: Subject) -> Motion:
    """Add an ``l5s1`` point on the neck -> mid_hip line at the omphalion level of de Leva.

    The point is placed at ``1 - L_LPT / (L_UPT,alt + L_MPT + L_LPT)`` of the way from
    ``neck`` (C7) to ``mid_hip`` using de Leva's reference lengths (0.758 male, 0.705 female),
    consistent with this module's OMPH ~ L5/S1 approximation. Use the kinematics area's
    regression (``liftrisk.kinematics``) when pelvis markers are available; this fallback
    only needs joint centres.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with ``neck`` and ``mid_hip`` (m, Z-up world frame).
    subject : Subject
        Selects de Leva's male or female reference lengths.

    Returns
    -------
    Motion
        A new Motion with ``l5s1`` (m).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> m = Motion.from_points({"neck": np.array([[0, 0, 1.5]]), "mid_hip": np.array([[0, 0, 1.0]])},
    ...                        rate_hz=1)
    >>> round(float(estimate_l5s1(m, Subject("male", 80, 1.78))["l5s1"][0, 2]), 3)
    1.121
    """
    check_points(motion, ("neck", "mid_hip"))
    tab = de_leva_table()
    s = subject.sex
    upt, mpt, lpt = (tab[(r, s)]["ref_segment_length_m"] for r in
                     ("upper_trunk_UPT_alt", "middle_trunk_MPT", "lower_trunk_LPT"))
    f = 1.0 - lpt / (upt + mpt + lpt)
    neck, hip = motion["neck"], motion["mid_hip"]
    return motion.with_points({"l5s1": neck + f * (hip - neck)})


def ml_reference3(points3, which: str) -> np.ndarray:
    """(3, T) left-minus-right line for ``"shoulders"`` or ``"hips"``.

    Parameters
    ----------
    points3 : dict
        Point name -> (3, T) positions (m, world frame), with the left/right shoulders or hips.
    which : {"shoulders", "hips"}
        Which pair.

    Returns
    -------
    numpy.ndarray
        (3, T) left-minus-right vector (m).

    Examples
    --------
    >>> import numpy as np
    >>> p = {"l_hip": np.array([[0.0], [0.1], [1.0]]), "r_hip": np.array([[0.0], [-0.1], [1.0]])}
    >>> ml_reference3(p, "hips")[:, 0].tolist()
    [0.0, 0.2, 0.0]
    """
    left, right = ("l_shoulder", "r_shoulder") if which == "shoulders" else ("l_hip", "r_hip")
    return points3[left] - points3[right]


def frame_axes3(p: SegmentParams, points3, ml3: np.ndarray) -> np.ndarray:
    """Segment axes (3 axes x, y, z; 3 world components; T) from (3, T) point arrays.

    Parameters
    ----------
    p : SegmentParams
        The segment (its endpoints and axis convention).
    points3 : dict
        Point name -> (3, T) positions (m, world frame).
    ml3 : numpy.ndarray
        (3, T) medio-lateral reference from `ml_reference3`.

    Returns
    -------
    numpy.ndarray
        (3, 3, T) unit axes x, y, z of the segment in world components.

    Examples
    --------
    >>> import numpy as np
    >>> from liftrisk.core import Subject
    >>> p = segment_parameters(Subject("male", 80.0, 1.80))["upper_trunk"]
    >>> pts = {"l5s1": np.array([[0.0], [0.0], [1.0]]), "neck": np.array([[0.0], [0.0], [1.5]])}
    >>> (frame_axes3(p, pts, np.array([[0.0], [0.3], [0.0]]))[:, :, 0].round(6) + 0.0).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    a, b = p.endpoints(points3)
    seg = b - a
    axes = np.empty((3, *seg.shape))
    if p.is_foot:
        axes[0] = unit3(seg)
        axes[1] = unit3(ml3 - dot3(ml3, axes[0]) * axes[0])
        cross3(axes[0], axes[1], out=axes[2])
    else:
        axes[2] = unit3(-seg)
        axes[1] = unit3(ml3 - dot3(ml3, axes[2]) * axes[2])
        cross3(axes[1], axes[2], out=axes[0])
    return axes


def principal_axes(motion: Motion, params: dict[str, SegmentParams], names=None) -> dict[str, np.ndarray]:
    """(T, 3, 3) rotation matrices of the segments' principal (inertial) axes.

    Columns = the local x, y, z axes in the world frame, the axes of de Leva's radii of
    gyration (see the module docstring for their definitions). Rotation only: the origin is
    the segment's centre of mass (`SegmentParams.com`). Not the kinematic segment frames of
    `liftrisk.kinematics.segment_frames` ((T, 4, 4), ISB-style axes for joint angles).

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    params : dict
        Segment name -> `SegmentParams`.
    names : sequence of str, optional
        Segments (default: all of `params`).

    Returns
    -------
    dict
        Segment name -> (T, 3, 3) rotation matrices.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> pts = {"r_hip": [[0, -0.1, 1.0]], "r_knee": [[0, -0.1, 0.55]], "l_hip": [[0, 0.1, 1.0]]}
    >>> m = Motion.from_points({k: np.array(v, float) for k, v in pts.items()}, rate_hz=1)
    >>> R = principal_axes(m, segment_parameters(Subject("male", 80, 1.78)), ["r_thigh"])["r_thigh"]
    >>> (np.round(R[0], 6) + 0.0).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    names = list(params) if names is None else list(names)
    need = required_points(params, names)
    check_points(motion, need)
    pts = {n: np.ascontiguousarray(motion[n].T) for n in need}
    refs = {}
    out = {}
    for n in names:
        p = params[n]
        if p.ml_reference not in refs:
            refs[p.ml_reference] = ml_reference3(pts, p.ml_reference)
        out[n] = np.transpose(frame_axes3(p, pts, refs[p.ml_reference]), (2, 1, 0))
    return out
