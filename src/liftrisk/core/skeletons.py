"""Skeleton registry: every source's point set, defined once as data, and its mapping to
the canonical joint-centre set.

Nothing outside this module indexes a keypoint by number. Detector layouts list their
points in the detector's output order (the index is the position in the tuple); the
mapping says, for each canonical point, which source points are averaged to estimate it.

Canonical joint centres (names used everywhere in liftrisk):
head, neck (C7 level), l5s1, mid_hip (pelvis centre), l/r_shoulder, l/r_elbow, l/r_wrist,
l/r_hand, l/r_hip, l/r_knee, l/r_ankle, l/r_heel, l/r_toe.
`l5s1` is not in any detector layout: `liftrisk.kinematics.joint_centres` estimates it
with a cited regression.

Sources of the layouts: MediaPipe Pose landmark model card (33 landmarks);
COCO keypoints (Lin et al. 2014, 17 points); OpenPose BODY_25 (Cao et al. 2019);
Halpe-26 (Fang et al. AlphaPose 2022); Pose2Sim Body25b-like TRC output (Pagnon 2022);
marker sets: Helen Hayes / OpenSim gait2354 tutorial markers and Vicon Plug-in Gait.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError

SIDES = ("l", "r")
CANONICAL_POINTS: tuple[str, ...] = (
    "head", "neck", "l5s1", "mid_hip",
    "l_shoulder", "r_shoulder", "l_elbow", "r_elbow", "l_wrist", "r_wrist",
    "l_hand", "r_hand", "l_hip", "r_hip", "l_knee", "r_knee",
    "l_ankle", "r_ankle", "l_heel", "r_heel", "l_toe", "r_toe",
)


@dataclass(frozen=True)
class Skeleton:
    """A named point layout and its mapping to canonical joint centres.

    Attributes
    ----------
    name : str
        Registry name (e.g. ``"mediapipe33"``).
    points : tuple of str
        Point names in the detector/file order.
    to_canonical : Mapping
        Canonical name -> tuple of source point names whose mean estimates it.
    bones : tuple of (str, str)
        Point pairs drawn in overlays.
    description : str
        Where the layout comes from.
    """

    name: str
    points: tuple[str, ...]
    to_canonical: MappingProxyType
    bones: tuple[tuple[str, str], ...] = ()
    description: str = ""

    def index(self, point: str) -> int:
        """Position of a point in the detector output (for readers only)."""
        return self.points.index(point)


def _lr(mapping: dict[str, tuple[str, ...]]) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


def _sided(fmt_l: str, fmt_r: str, parts: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Expand {'shoulder': ('{S}shoulder',)} into l_/r_ entries."""
    out = {}
    for canon, srcs in parts.items():
        out[f"l_{canon}"] = tuple(s.replace("{S}", fmt_l) for s in srcs)
        out[f"r_{canon}"] = tuple(s.replace("{S}", fmt_r) for s in srcs)
    return out


MEDIAPIPE33 = Skeleton(
    name="mediapipe33",
    points=(
        "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
        "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right",
        "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist",
        "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index", "left_thumb",
        "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
        "right_ankle", "left_heel", "right_heel", "left_foot_index", "right_foot_index",
    ),
    to_canonical=_lr({
        "head": ("left_ear", "right_ear"),
        "neck": ("left_shoulder", "right_shoulder"),
        "mid_hip": ("left_hip", "right_hip"),
        **_sided("left_", "right_", {
            "shoulder": ("{S}shoulder",), "elbow": ("{S}elbow",), "wrist": ("{S}wrist",),
            "hand": ("{S}index", "{S}pinky"), "hip": ("{S}hip",), "knee": ("{S}knee",),
            "ankle": ("{S}ankle",), "heel": ("{S}heel",), "toe": ("{S}foot_index",),
        }),
    }),
    description="Google MediaPipe Pose (BlazePose) 33 landmarks",
)

COCO17 = Skeleton(
    name="coco17",
    points=(
        "nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
        "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
        "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    ),
    to_canonical=_lr({
        "head": ("left_ear", "right_ear"),
        "neck": ("left_shoulder", "right_shoulder"),
        "mid_hip": ("left_hip", "right_hip"),
        **_sided("left_", "right_", {
            "shoulder": ("{S}shoulder",), "elbow": ("{S}elbow",), "wrist": ("{S}wrist",),
            "hip": ("{S}hip",), "knee": ("{S}knee",), "ankle": ("{S}ankle",),
        }),
    }),
    description="COCO 17 keypoints (no hands, heels or toes)",
)

BODY25 = Skeleton(
    name="body25",
    points=(
        "Nose", "Neck", "RShoulder", "RElbow", "RWrist", "LShoulder", "LElbow", "LWrist",
        "MidHip", "RHip", "RKnee", "RAnkle", "LHip", "LKnee", "LAnkle", "REye", "LEye", "REar",
        "LEar", "LBigToe", "LSmallToe", "LHeel", "RBigToe", "RSmallToe", "RHeel",
    ),
    to_canonical=_lr({
        "head": ("LEar", "REar"),
        "neck": ("Neck",),
        "mid_hip": ("MidHip",),
        **_sided("L", "R", {
            "shoulder": ("{S}Shoulder",), "elbow": ("{S}Elbow",), "wrist": ("{S}Wrist",),
            "hip": ("{S}Hip",), "knee": ("{S}Knee",), "ankle": ("{S}Ankle",),
            "heel": ("{S}Heel",), "toe": ("{S}BigToe", "{S}SmallToe"),
        }),
    }),
    description="OpenPose BODY_25",
)

HALPE26 = Skeleton(
    name="halpe26",
    points=(
        "Nose", "LEye", "REye", "LEar", "REar", "LShoulder", "RShoulder", "LElbow", "RElbow",
        "LWrist", "RWrist", "LHip", "RHip", "LKnee", "RKnee", "LAnkle", "RAnkle", "Head", "Neck",
        "Hip", "LBigToe", "RBigToe", "LSmallToe", "RSmallToe", "LHeel", "RHeel",
    ),
    to_canonical=_lr({
        "head": ("LEar", "REar"),
        "neck": ("Neck",),
        "mid_hip": ("Hip",),
        **_sided("L", "R", {
            "shoulder": ("{S}Shoulder",), "elbow": ("{S}Elbow",), "wrist": ("{S}Wrist",),
            "hip": ("{S}Hip",), "knee": ("{S}Knee",), "ankle": ("{S}Ankle",),
            "heel": ("{S}Heel",), "toe": ("{S}BigToe", "{S}SmallToe"),
        }),
    }),
    description="Halpe 26 keypoints (AlphaPose, RTMPose body+feet)",
)

POSE2SIM_BODY25B = Skeleton(
    name="pose2sim_body25b",
    points=(
        "RHip", "RKnee", "RAnkle", "RBigToe", "RSmallToe", "RHeel", "LHip", "LKnee", "LAnkle",
        "LBigToe", "LSmallToe", "LHeel", "Neck", "Head", "Nose", "RShoulder", "RElbow", "RWrist",
        "LShoulder", "LElbow", "LWrist",
    ),
    to_canonical=_lr({
        "head": ("Head",),
        "neck": ("Neck",),
        "mid_hip": ("LHip", "RHip"),
        **_sided("L", "R", {
            "shoulder": ("{S}Shoulder",), "elbow": ("{S}Elbow",), "wrist": ("{S}Wrist",),
            "hip": ("{S}Hip",), "knee": ("{S}Knee",), "ankle": ("{S}Ankle",),
            "heel": ("{S}Heel",), "toe": ("{S}BigToe", "{S}SmallToe"),
        }),
    }),
    description="Pose2Sim triangulated TRC (Body25b-like, 21 points)",
)

CANONICAL = Skeleton(
    name="canonical",
    points=CANONICAL_POINTS,
    to_canonical=_lr({p: (p,) for p in CANONICAL_POINTS}),
    description="liftrisk canonical joint centres",
)

# Mocap marker sets: anatomical role -> marker name in the file. Joint centres from
# markers (hip joint centre regression etc.) are computed in liftrisk.kinematics.
MARKER_SETS: MappingProxyType = MappingProxyType({
    "opensim_gait2354": MappingProxyType({
        "r_asis": "R.ASIS", "l_asis": "L.ASIS", "sacrum": "V.Sacral",
        "r_knee_lat": "R.Knee.Lat", "l_knee_lat": "L.Knee.Lat",
        "r_heel": "R.Heel", "l_heel": "L.Heel", "r_toe": "R.Toe.Tip", "l_toe": "L.Toe.Tip",
        "r_toe_lat": "R.Toe.Lat", "r_toe_med": "R.Toe.Med", "l_toe_lat": "L.Toe.Lat",
        "l_toe_med": "L.Toe.Med", "r_acromion": "R.Acromium", "l_acromion": "L.Acromium",
        "r_elbow_lat": "R.Elbow", "l_elbow_lat": "L.Elbow", "r_wrist_med": "R.Wrist.Med",
        "r_wrist_lat": "R.Wrist.Lat", "l_wrist_med": "L.Wrist.Med", "l_wrist_lat": "L.Wrist.Lat",
        "sternum": "Sternum", "r_temple": "R.Temple", "l_temple": "L.Temple",
        "head_top": "Top.Head", "r_midfoot_lat": "R.Midfoot.Lat", "l_midfoot_lat": "L.Midfoot.Lat",
        "r_midfoot_sup": "R.Midfoot.Sup", "l_midfoot_sup": "L.Midfoot.Sup",
    }),
    "plugin_gait": MappingProxyType({
        "r_asis": "RASI", "l_asis": "LASI", "r_psis": "RPSI", "l_psis": "LPSI",
        "r_knee_lat": "RKNE", "l_knee_lat": "LKNE", "r_ankle_lat": "RANK", "l_ankle_lat": "LANK",
        "r_heel": "RHEE", "l_heel": "LHEE", "r_toe": "RTOE", "l_toe": "LTOE",
        "r_thigh": "RTHI", "l_thigh": "LTHI", "r_tibia": "RTIB", "l_tibia": "LTIB",
        "c7": "C7", "t10": "T10", "clav": "CLAV", "strn": "STRN",
        "r_acromion": "RSHO", "l_acromion": "LSHO", "r_elbow_lat": "RELB", "l_elbow_lat": "LELB",
        "r_wrist_lat": "RWRA", "r_wrist_med": "RWRB", "l_wrist_lat": "LWRA", "l_wrist_med": "LWRB",
        "r_finger": "RFIN", "l_finger": "LFIN", "r_front_head": "RFHD", "l_front_head": "LFHD",
        "r_back_head": "RBHD", "l_back_head": "LBHD",
    }),
})

SKELETONS: MappingProxyType = MappingProxyType({
    s.name: s for s in (MEDIAPIPE33, COCO17, BODY25, HALPE26, POSE2SIM_BODY25B, CANONICAL)
})


def get_skeleton(name: str) -> Skeleton:
    """Look a skeleton up by name (case-insensitive).

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"coco17"``, ``"halpe26"``, ``"mediapipe33"`` (any case).

    Returns
    -------
    Skeleton
        The registered layout; an unknown name raises ``DataQualityError``.

    Examples
    --------
    >>> get_skeleton("COCO17").name, len(get_skeleton("coco17").points)
    ('coco17', 17)
    """
    key = name.strip().lower()
    if key not in SKELETONS:
        raise DataQualityError(f"unknown skeleton {name!r}; expected one of {', '.join(SKELETONS)}")
    return SKELETONS[key]


def detect_skeleton(point_names) -> Skeleton | None:
    """The registered skeleton whose points best cover `point_names` (None if < 60 %).

    Parameters
    ----------
    point_names : iterable of str
        Point names found in a file or detector output.

    Returns
    -------
    Skeleton or None
        The layout covering the largest share of its own points, or None when no layout has
        at least 60 % of its points present.

    Examples
    --------
    >>> detect_skeleton(COCO17.points).name
    'coco17'
    >>> detect_skeleton(["a", "b"]) is None
    True
    """
    names = set(point_names)
    best, best_cov = None, 0.0
    for sk in SKELETONS.values():
        cov = len(names & set(sk.points)) / len(sk.points)
        if cov > best_cov:
            best, best_cov = sk, cov
    return best if best_cov >= 0.6 else None


def to_canonical(motion: Motion, skeleton: Skeleton | str | None = None) -> Motion:
    """Canonical joint centres from a detector/file point layout.

    Each canonical point is the mean of its source points (NaN when any is missing).
    Canonical points the layout cannot give are left out (``l5s1`` always: it is
    estimated by `liftrisk.kinematics.joint_centres.add_l5s1`).

    Parameters
    ----------
    motion : Motion
        Points named in a detector/file layout (positions in m).
    skeleton : Skeleton, str or None
        The layout (object or registry name); None detects it from the point names.

    Returns
    -------
    Motion
        A new Motion with canonical joint-centre names (m).

    Examples
    --------
    >>> import numpy as np
    >>> m = Motion.from_points({"LHip": np.zeros((2, 3)), "RHip": np.ones((2, 3))}, rate_hz=10)
    >>> float(to_canonical(m, HALPE26)["l_hip"][0, 0])
    0.0
    """
    if skeleton is None:
        skeleton = detect_skeleton(motion.point_names)
        if skeleton is None:
            raise DataQualityError(
                f"{motion.source or 'motion'}: its point names match no known skeleton "
                f"({', '.join(SKELETONS)}); name the skeleton explicitly")
    elif isinstance(skeleton, str):
        skeleton = get_skeleton(skeleton)
    out: dict[str, np.ndarray] = {}
    conf: dict[str, np.ndarray] = {}
    for canon in CANONICAL_POINTS:
        srcs = skeleton.to_canonical.get(canon)
        if not srcs or not motion.has(*srcs):
            continue
        out[canon] = motion.points(srcs).mean(axis=1)
        conf[canon] = np.min(np.stack([motion.point_confidence(s) for s in srcs], axis=1), axis=1)
    if not out:
        raise DataQualityError(f"{motion.source or 'motion'}: no canonical point could be formed "
                               f"with skeleton {skeleton.name!r}")
    new = Motion.from_points(out, time_s=motion.time_s, rate_hz=motion.rate_hz,
                             source=motion.source, meta={**motion.meta, "skeleton": "canonical",
                                                         "from_skeleton": skeleton.name})
    if motion.confidence is not None:
        new = new.replace(confidence=np.stack([conf[n] for n in out], axis=1))
    return new
