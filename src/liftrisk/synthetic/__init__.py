"""Synthetic lifting bodies for demos and tests: a kinematic full-body model scaled from stature,
static postures with known hand positions, and realistic two-handed box lifts, balanced (the
whole-body centre of mass above mid-foot, see `Balance`)."""

from liftrisk.synthetic.body import BodyDimensions, Posture, body_motion, neutral_body, pose_body
from liftrisk.synthetic.lift import STYLES, Balance, minimum_jerk, place_body, synthetic_lift

__all__ = ["BodyDimensions", "Posture", "pose_body", "body_motion", "neutral_body", "synthetic_lift",
           "place_body", "minimum_jerk", "STYLES", "Balance"]
