"""Core data model: Subject, Motion, loads and the skeleton registry."""

from liftrisk.core.loads import GroundReaction, HandLoad, InsolePressure
from liftrisk.core.motion import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS, SKELETONS, get_skeleton, to_canonical
from liftrisk.core.subject import Subject

__all__ = ["Motion", "Subject", "HandLoad", "GroundReaction", "InsolePressure",
           "CANONICAL_POINTS", "SKELETONS", "get_skeleton", "to_canonical"]
