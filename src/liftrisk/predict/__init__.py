"""Optimisation-based maximum-weight lifting prediction (Xiang et al. 2021; 2D vs 3D).

Public surface: the task, the 2D and 3D predictions, guide postures (measured or template),
the side-by-side table over guide postures and strength percentiles, and the shared
``LiftingModel`` / ``PreparedProblem`` protocols of the two stacks.
"""

from liftrisk.predict._nlp import LiftingModel, PredictionError, PredictionWarning, PreparedProblem
from liftrisk.predict.guides import guide_postures, guide_postures_from_motion
from liftrisk.predict.problem2d import (
    DEFAULT_WEIGHTS,
    LiftingProblem,
    LiftingSolution,
    LiftTask,
    MaxWeightResult,
    max_weight_table,
    pareto_front,
    percentile_for_weight,
    predict_max_weight,
    prepare_problem,
    solve,
    with_guide_postures,
)
from liftrisk.predict.problem3d import (
    LiftingProblem3D,
    LiftingSolution3D,
    MaxWeightResult3D,
    predict_max_weight_3d,
    prepare_problem_3d,
    solve_3d,
)
from liftrisk.predict.strength import percentile_to_z

__all__ = [
    "DEFAULT_WEIGHTS", "LiftTask", "LiftingModel", "LiftingProblem", "LiftingProblem3D", "LiftingSolution",
    "LiftingSolution3D", "MaxWeightResult", "MaxWeightResult3D", "PredictionError", "PredictionWarning",
    "PreparedProblem", "guide_postures", "guide_postures_from_motion", "max_weight_table", "pareto_front",
    "percentile_for_weight", "percentile_to_z", "predict_max_weight", "predict_max_weight_3d", "prepare_problem",
    "prepare_problem_3d",
    "solve", "solve_3d", "with_guide_postures",
]
