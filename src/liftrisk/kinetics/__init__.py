"""liftrisk.kinetics: de Leva segment parameters, inverse dynamics to L5/S1 and the major
joints, spine compression/shear, joint strength and workload (see docs/kinetics.md)."""

from liftrisk.kinetics.inverse_dynamics import bottom_up, top_down_l5s1, whole_body_ground_reaction
from liftrisk.kinetics.load_from_feet import hand_load_from_feet, held_mass_kg, lift_load_kg
from liftrisk.kinetics.segments import SegmentParams, estimate_l5s1, principal_axes, segment_parameters
from liftrisk.kinetics.spine import compression_limits_n, spine_load
from liftrisk.kinetics.strength import joint_strength, sagittal_angles, workload_ratio

__all__ = ["SegmentParams", "segment_parameters", "principal_axes", "estimate_l5s1", "top_down_l5s1",
           "bottom_up", "whole_body_ground_reaction", "spine_load", "compression_limits_n", "joint_strength",
           "sagittal_angles", "workload_ratio", "hand_load_from_feet", "held_mass_kg", "lift_load_kg"]
