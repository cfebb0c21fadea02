"""Virtual markers: which model body carries each point of every supported skeleton.

Two kinds of marker:

* **joint-centre markers**: a keypoint that a detector places at a joint centre (MediaPipe
  ``left_knee``, COCO ``left_hip``, Body25 ``LAnkle`` ...). It sits on the model's landmark
  of the same canonical name (`BodyModel.landmarks`), whose position scaling sets from the
  same data; it is never moved.
* **registered markers**: skin markers (Plug-in Gait, the gait2354 marker set) and keypoints
  that are not joint centres (nose, eyes, ears, fingers, toes). Each one is attached to a
  body and its local position is measured on a calibration trial (static trial, or the
  recording itself): the mean of its position in the body frame of the model fitted to
  the joint centres (what OpenSim's marker placer does on a static trial).

Bodies of skin markers: by the anatomical role in `liftrisk.core.skeletons.MARKER_SETS`
(`ROLE_BODY`); markers of no known role (e.g. thigh and shank clusters) go to the body
whose segment (proximal -> distal landmark) passes nearest to them in the calibration pose.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from liftrisk.core.skeletons import MARKER_SETS, SKELETONS, Skeleton

__all__ = ["ROLE_WEIGHT", "role_weights", "ROLE_BODY", "joint_centre_markers", "role_bodies", "SEGMENT_LINES",
           "nearest_body"]

# anatomical role (without side prefix) -> body (without side prefix)
ROLE_BODY = MappingProxyType({
    "asis": "pelvis", "psis": "pelvis", "sacrum": "pelvis",
    "knee_lat": "thigh", "knee_med": "thigh", "thigh": "thigh",
    "ankle_lat": "shank", "ankle_med": "shank", "tibia": "shank",
    "heel": "foot", "toe": "foot", "toe_lat": "foot", "toe_med": "foot", "midfoot_lat": "foot",
    "midfoot_sup": "foot",
    "c7": "torso", "t10": "torso", "clav": "torso", "strn": "torso", "sternum": "torso", "acromion": "torso",
    "elbow_lat": "upper_arm", "wrist_lat": "forearm", "wrist_med": "forearm", "finger": "hand",
    "temple": "head", "head_top": "head", "front_head": "head", "back_head": "head",
})
_UNSIDED_BODY = {"pelvis", "torso", "head"}

# A-priori marker weights by anatomical role (default 1); liftrisk choices, see
# docs/bodymodel.md. Pelvis markers (ASIS, PSIS, sacrum: bony, rigid, and the root of the
# chain) get 10 so that a misfit of the trunk (one L5/S1 joint cannot shorten the pelvis-
# sternum distance the way a flexing thoracic spine does) is not pushed into the pelvis
# and from there into every hip angle. The acromion marker sits on the scapula, which
# slides on the thorax with arm motion: 0.1.
ROLE_WEIGHT = MappingProxyType({"asis": 10.0, "psis": 10.0, "sacrum": 10.0, "acromion": 0.1})


def role_weights(marker_set: str) -> dict[str, float]:
    """Marker name -> a-priori weight for the markers of a marker set (1 when not listed).

    Parameters
    ----------
    marker_set : str
        Key of `liftrisk.core.skeletons.MARKER_SETS`.

    Returns
    -------
    dict
        Marker name -> weight (dimensionless).

    Examples
    --------
    >>> role_weights("plugin_gait")["RSHO"]
    0.1
    """
    out = {}
    for role, name in MARKER_SETS[marker_set].items():
        side, _, kind = role.partition("_")
        if side not in ("l", "r"):
            kind = role
        out[name] = float(ROLE_WEIGHT.get(kind, 1.0))
    return out


# body -> (proximal landmark, distal landmark) of its segment line (nearest-body rule)
SEGMENT_LINES = MappingProxyType({
    "pelvis": ("mid_hip", "l5s1"), "torso": ("l5s1", "neck"), "head": ("neck", "head"),
    **{f"{s}_{b}": (f"{s}_{p}", f"{s}_{d}") for s in ("l", "r") for b, p, d in (
        ("upper_arm", "shoulder", "elbow"), ("forearm", "elbow", "wrist"), ("hand", "wrist", "hand"),
        ("thigh", "hip", "knee"), ("shank", "knee", "ankle"), ("foot", "heel", "toe"))},
})


def joint_centre_markers(skeleton: Skeleton | str) -> dict[str, str]:
    """Keypoints of a skeleton that sit at a model landmark: keypoint -> landmark name.

    A canonical joint centre formed from a single keypoint of the layout is a joint-centre
    marker, except ``head`` (a detector's head point is not the vertex: registered).

    Parameters
    ----------
    skeleton : Skeleton or str
        A registered keypoint layout.

    Returns
    -------
    dict
        Keypoint name -> canonical landmark name.

    Examples
    --------
    >>> joint_centre_markers("coco17")["left_knee"]
    'l_knee'
    >>> "nose" in joint_centre_markers("coco17")
    False
    """
    sk = SKELETONS[skeleton] if isinstance(skeleton, str) else skeleton
    out = {}
    for canon, srcs in sk.to_canonical.items():
        if len(srcs) == 1 and canon not in ("head", "l5s1"):
            out[srcs[0]] = canon
    return out


def role_bodies(marker_set: str) -> dict[str, str]:
    """Marker name -> body for the markers of a mocap marker set with a known role.

    Parameters
    ----------
    marker_set : str
        Key of `liftrisk.core.skeletons.MARKER_SETS`.

    Returns
    -------
    dict
        Marker name -> model body name.

    Examples
    --------
    >>> role_bodies("plugin_gait")["LKNE"], role_bodies("plugin_gait")["RASI"]
    ('l_thigh', 'pelvis')
    """
    out = {}
    for role, name in MARKER_SETS[marker_set].items():
        side, _, kind = role.partition("_")
        if side not in ("l", "r"):
            side, kind = "", role
        body = ROLE_BODY.get(kind)
        if body is None:
            continue
        out[name] = body if body in _UNSIDED_BODY or not side else f"{side}_{body}"
    return out


def nearest_body(points_m: np.ndarray, landmarks_m: dict[str, np.ndarray]) -> list[str]:
    """Body whose segment line passes nearest to each point (calibration pose).

    Parameters
    ----------
    points_m : (K, 3)
        Marker positions (one pose), m.
    landmarks_m : dict name -> (3,)
        Landmark positions in the same pose.

    Returns
    -------
    list of str
        Body name per point.

    Examples
    --------
    >>> lm = {"mid_hip": np.zeros(3), "l5s1": np.array([0, 0, 0.1]), "neck": np.array([0, 0, 0.6])}
    >>> nearest_body(np.array([[0.1, 0, 0.4]]), lm)
    ['torso']
    """
    names, dist = [], []
    for body, (a, b) in SEGMENT_LINES.items():
        if a not in landmarks_m or b not in landmarks_m:
            continue
        pa, pb = landmarks_m[a], landmarks_m[b]
        ab = pb - pa
        t = np.clip((points_m - pa) @ ab / max(float(ab @ ab), 1e-12), 0.0, 1.0)
        dist.append(np.linalg.norm(points_m - (pa + t[:, None] * ab), axis=1))
        names.append(body)
    best = np.argmin(np.stack(dist, axis=1), axis=1)
    return [names[i] for i in best]
