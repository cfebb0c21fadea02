"""liftrisk.kinetics: de Leva segment parameters, inverse dynamics to L5/S1 and the major
joints, spine compression/shear, joint strength and workload (see docs/kinetics.md)."""

from liftrisk.kinetics.segments import SegmentParams, estimate_l5s1, segment_frames, segment_parameters

__all__ = ["SegmentParams", "segment_parameters", "segment_frames", "estimate_l5s1"]
