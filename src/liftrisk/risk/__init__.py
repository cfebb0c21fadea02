"""liftrisk.risk: posture and lifting risk methods.

REBA (`reba`), RULA (`rula`), fuzzy REBA (`fuzzy_reba`), the Revised NIOSH Lifting
Equation (`rwl`, `rwl_us`, `composite_lifting_index`) and the ACGIH lifting TLV zones
(`assess_lift`, `tlv_limit_kg`, `zone_number`, `zone_risk`). Scoring functions take joint
angles in degrees (see `liftrisk.risk.reba.REBA_ANGLE_COLUMNS`); `posture_from_motion`
adapts a canonical Motion. Tables and citations: `liftrisk/data/risk/SOURCE.md`.
"""

from liftrisk.risk.acgih import (
    BodyLandmarks,
    assess_lift,
    body_landmarks,
    horizontal_zone,
    landmarks_from_stature,
    tlv_limit_kg,
    tlv_table,
    vertical_zone,
    zone_number,
    zone_risk,
)
from liftrisk.risk.fuzzy_reba import FuzzySettings, fuzzy_reba, fuzzy_reba_reference
from liftrisk.risk.niosh import (
    NioshLimitWarning,
    NioshTask,
    RnleResult,
    composite_lifting_index,
    li_category,
    rwl,
    rwl_us,
    task_indices,
)
from liftrisk.risk.posture import posture_angles, posture_from_motion, posture_scores
from liftrisk.risk.reba import RebaSettings, reba, summarise_scores
from liftrisk.risk.reba import risk_level as reba_risk_level
from liftrisk.risk.rula import RulaSettings, rula
from liftrisk.risk.rula import action_level as rula_action_level

__all__ = [
    "BodyLandmarks", "FuzzySettings", "NioshLimitWarning", "NioshTask", "RebaSettings", "RnleResult",
    "RulaSettings", "assess_lift", "body_landmarks", "composite_lifting_index", "fuzzy_reba",
    "fuzzy_reba_reference", "horizontal_zone", "landmarks_from_stature", "li_category", "posture_angles",
    "posture_from_motion", "posture_scores", "reba", "reba_risk_level", "rula", "rula_action_level", "rwl",
    "rwl_us", "summarise_scores", "task_indices", "tlv_limit_kg", "tlv_table", "vertical_zone", "zone_number",
    "zone_risk",
]
