"""Core data model: Subject, Motion, Keypoints2D, loads and the skeleton registry."""

from liftrisk.core.keypoints import Keypoints2D
from liftrisk.core.loads import ForcePlates, GroundReaction, HandLoad, InsoleForce, InsolePressure, ObjectSupport
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS, SKELETONS, get_skeleton, to_canonical
from liftrisk.core.subject import Subject

__all__ = ["Keypoints2D", "Motion", "Subject", "HandLoad", "GroundReaction", "InsolePressure", "InsoleForce",
           "ForcePlates", "ObjectSupport", "CANONICAL_POINTS", "SKELETONS", "get_skeleton", "to_canonical"]
