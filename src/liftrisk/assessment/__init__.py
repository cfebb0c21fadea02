"""One assessment's result, stages and exports (orchestrated by `liftrisk.pipeline`).

- `liftrisk.assessment.result`: `Assessment`, `summarise`, `uncertainty_summary`
- `liftrisk.assessment.stages`: `canonical_motion`, `body_model_stage` (`body_model_fits`), `canonical_points`,
  `detect_lift_events`,
  `lower_body_loads`, `input_kind`
- `liftrisk.assessment.export`: `export_csv`, `export_trc`, `export_mot`
"""

from liftrisk.assessment.export import export_csv, export_mot, export_trc
from liftrisk.assessment.result import Assessment, StageProgress, summarise, uncertainty_summary
from liftrisk.assessment.stages import (
    FeetLoads,
    body_model_fits,
    body_model_stage,
    canonical_motion,
    canonical_points,
    detect_lift_events,
    feet_loads,
    input_kind,
    insole_reactions,
    lift_loads_kg,
    load_per_frame_kg,
    lower_body_loads,
    report_progress,
)

__all__ = ["Assessment", "FeetLoads", "StageProgress", "body_model_fits", "body_model_stage", "canonical_motion",
           "canonical_points",
           "detect_lift_events",
           "export_csv", "export_mot", "export_trc", "feet_loads", "input_kind",
           "insole_reactions", "lift_loads_kg", "load_per_frame_kg", "lower_body_loads", "report_progress",
           "summarise", "uncertainty_summary"]
