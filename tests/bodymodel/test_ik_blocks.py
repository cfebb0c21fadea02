"""Long recordings: the inverse kinematics solves frames in blocks (bounded memory) and gets
the same poses as in one batch (each frame's Levenberg-Marquardt iterations are its own)."""

import numpy as np

import liftrisk.bodymodel.ik as ik
from liftrisk.bodymodel import fit_body_model
from liftrisk.core.subject import Subject
from liftrisk.synthetic import synthetic_lift


def test_blocks_of_frames_give_the_poses_of_one_batch(monkeypatch):
    subj = Subject("male", 80.0, 1.78)
    m = synthetic_lift(subj, 10.0, noise_m=0.01, rate_hz=30.0, still_s=0.3, seed=2)
    monkeypatch.setattr(ik, "IK_BLOCK_FRAMES", 10 ** 9)
    one = fit_body_model(m, subj)
    monkeypatch.setattr(ik, "IK_BLOCK_FRAMES", 17)
    blocks = fit_body_model(m, subj)
    np.testing.assert_array_equal(one.joint_centres.positions_m, blocks.joint_centres.positions_m)
    np.testing.assert_array_equal(one.solution.q, blocks.solution.q)
