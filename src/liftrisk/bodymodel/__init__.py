"""Subject-scaled full-body model fitted by inverse kinematics (all frames at once).

`fit_body_model(motion, subject, static=...)` scales liftrisk's own rigid-body model (de
Leva segments, 3-DOF L5/S1, shoulders and hips; limits from 38 CFR 4.71a) to the subject,
registers the recording's markers or keypoints, and solves batched Levenberg-Marquardt
inverse kinematics. The fitted joint centres (`BodyFit.joint_centres`) keep every segment
length constant and feed liftrisk's kinematics and kinetics. See docs/bodymodel.md.
"""

from liftrisk.bodymodel.fit import (
    BodyFit,
    FitSettings,
    LinearisedFit,
    fit_body_model,
    fit_joint_centres,
    fitted_joint_centres,
)
from liftrisk.bodymodel.ik import IKSettings, IKSolution, solve_ik
from liftrisk.bodymodel.model import BodyModel, ModelGeometry, build_model, generic_geometry, joint_limits_deg
from liftrisk.bodymodel.scaling import ScalingReport, scale_geometry

__all__ = ["BodyFit", "FitSettings", "LinearisedFit", "fit_body_model", "fit_joint_centres", "fitted_joint_centres",
           "IKSettings", "IKSolution", "solve_ik", "BodyModel", "ModelGeometry", "build_model", "generic_geometry",
           "joint_limits_deg", "ScalingReport", "scale_geometry"]
