"""Guide postures (Xiang et al. 2021, eq. 18) from a motion, box collision, free lift time, one-build
tables over guides and strength percentiles, and IPOPT's 'acceptable' status as a warning."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import casadi as ca
import numpy as np
import pytest

from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.predict import LiftTask, PredictionWarning, guide_postures_from_motion, max_weight_table
from liftrisk.predict._nlp import run_solver, simpson_weights
from liftrisk.predict.model2d import DOF_NAMES, build_model_2d, fixed_feet_base, forward_kinematics, point_kinematics
from liftrisk.predict.problem2d import _COLLISION_POINTS, anchors, prepare_problem

SUBJECT8 = Subject("male", 83.73, 1.82, age_years=28)
JOINTS = ("spine", "shoulder", "elbow", "hip", "knee", "ankle")


def _model_motion(qs, yaw_rad=0.3):
    """Canonical points of the 2D model's own forward kinematics at postures ``qs`` (joint
    angles, rad), both sides 0.1 m apart, the worker turned by ``yaw_rad`` about Z."""
    m = build_model_2d(SUBJECT8)
    qj = ca.SX.sym("qj", 6)
    q, _, _ = fixed_feet_base(m, qj)
    fk = forward_kinematics(m, q)
    names = {"mid_hip": "hip", "l5s1": "l5s1", "neck": "neck", "shoulder": "shoulder", "elbow": "elbow",
             "wrist": "wrist", "hip": "hip", "knee": "knee", "ankle": "ankle"}
    f = ca.Function("pts", [qj], [ca.horzcat(*[point_kinematics(m, fk, v)[0] for v in names.values()])])
    c, s = np.cos(yaw_rad), np.sin(yaw_rad)
    R = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    pts = {}
    for k, (name, _) in enumerate(names.items()):
        xz = np.array([np.asarray(f(q_)).reshape(2, -1)[:, k] for q_ in qs])
        for side, y in (("l_", 0.1), ("r_", -0.1)):
            if name in ("mid_hip", "l5s1", "neck"):
                side, y = "", 0.0
            p = np.c_[xz[:, 0], np.full(len(qs), y), xz[:, 1]] @ R.T
            pts[side + name] = p
    return Motion.from_points(pts, rate_hz=10.0)


def test_guides_from_motion_recover_model_angles():
    """Round trip: points from the model's own kinematics at known joint angles give those
    angles back (the worker turned 0.3 rad away from world X, left/right averaged)."""
    rng = np.random.default_rng(3)
    qs = [np.array([0.4, 0.8, 0.3, 1.5, 1.6, 0.35]) + rng.normal(0, 0.05, 6) for _ in range(11)]
    got = guide_postures_from_motion(_model_motion(qs))
    for k, j in enumerate(JOINTS):
        np.testing.assert_allclose(np.deg2rad(got[j]), [qs[0][k], qs[5][k], qs[10][k]], atol=1e-9)
    assert got["_duration_s"] == pytest.approx(1.0)


def test_guides_from_motion_errors_name_missing_points():
    m = _model_motion([np.zeros(6), np.zeros(6)]).select(["mid_hip", "l5s1"])
    with pytest.raises(Exception, match="lacks the points"):
        guide_postures_from_motion(m)


def test_simpson_weights_integrate_cubics_exactly():
    u = np.linspace(0.0, 1.0, 13)
    assert simpson_weights(13) @ (4 * u**3) == pytest.approx(1.0, abs=1e-12)


def test_acceptable_status_is_a_warning():
    """A run that stops at IPOPT's acceptable level is converged but carries a warning."""
    x = ca.SX.sym("x", 2)
    nlp = {"x": x, "f": (x[0] - 1) ** 4 + (x[1] + 2) ** 4, "g": x[0] + x[1], "p": ca.SX.sym("p", 0)}
    solver = ca.nlpsol("s", "ipopt", nlp, {"ipopt.print_level": 0, "print_time": False, "ipopt.sb": "yes",
                                           "ipopt.tol": 1e-30, "ipopt.acceptable_tol": 1e-2,
                                           "ipopt.acceptable_iter": 1, "ipopt.max_iter": 3000})
    prob = SimpleNamespace(solver=solver, x0=np.zeros(2), bounds={"x_lb": [-9, -9], "x_ub": [9, 9],
                                                                  "g_lb": np.array([-9.0]), "g_ub": np.array([9.0])})
    with pytest.warns(PredictionWarning, match="acceptable"):
        run = run_solver(prob, [])
    assert run.status == "Solved_To_Acceptable_Level" and run.success and run.warnings


@pytest.fixture(scope="module")
def problem():
    return prepare_problem(SUBJECT8, LiftTask(), n_between=5)


def _box_penetration(prob, sol):
    """Deepest intrusion (m, > 0 inside) of the thigh/knee/shank/trunk points (plus the body
    radius) into the box held level at the hand, at every profile frame; computed here from the
    model's kinematics, independently of the NLP's constraint expressions."""
    m, task = prob.model, prob.task
    worst = -np.inf
    seg_len = {"thigh": -m.segment("shank").joint_xz[1], "shank": -m.segment("rear_foot").joint_xz[1],
               "torso": m.points["shoulder"][1][1]}
    for _, row in sol.frames.iterrows():
        q = row[[f"q_{d}" for d in DOF_NAMES]].to_numpy(float)
        fk = forward_kinematics(m, q)
        hand = np.asarray(point_kinematics(m, fk, "hand")[0]).ravel()
        x_lo, z_lo = hand[0] - task.grip_in_box_m[0], hand[1] - task.grip_in_box_m[1]
        for seg, frac in _COLLISION_POINTS:
            loc = (0.0, (-1 if seg != "torso" else 1) * frac * seg_len[seg])
            p = np.asarray(point_kinematics(m, fk, seg, local=loc)[0]).ravel()
            r = 0.05
            depth = min(p[0] - (x_lo - r), x_lo + task.box_size_m[0] + r - p[0], p[1] - (z_lo - r),
                        z_lo + task.box_size_m[1] + r - p[1])
            worst = max(worst, depth)
    return worst


def test_box_collision_keeps_the_body_out_of_the_box(problem):
    """With the constraint, no body point enters the box at the constraint instants (a few mm
    between them); without it, the squat solution drives the knees/thighs through the box."""
    from liftrisk.predict import predict_max_weight

    with_c = predict_max_weight(SUBJECT8, problem=problem).solution
    assert with_c.success
    assert _box_penetration(problem, with_c) < 0.01
    free = prepare_problem(SUBJECT8, LiftTask(box_collision=False), n_between=5)
    without = predict_max_weight(SUBJECT8, problem=free).solution
    assert _box_penetration(free, without) > 0.02
    assert without.box_weight_n >= with_c.box_weight_n - 1.0  # removing a constraint cannot lower the optimum much


def test_free_lift_time_relaxes_the_max_weight_anchor(problem):
    """A free T within bounds that contain the fixed T cannot lift less at the max-weight anchor
    (a relaxation), and the optimal T respects its bounds."""
    fixed = anchors(problem)[1]
    prob = prepare_problem(SUBJECT8, LiftTask(duration_bounds_s=(1.2, 1.8)), n_between=5)
    free = anchors(prob)[1]
    assert 1.2 - 1e-9 <= free.duration_s <= 1.8 + 1e-9
    assert free.box_weight_n >= fixed.box_weight_n - 0.5


def test_table_one_build_monotone_in_strength(problem):
    """Guides x percentiles from one build. With guide postures the weighted (0.15, 0.85)
    weight rises with strength; without them only the max-weight anchor is guaranteed to (a
    stronger worker can do all a weaker one can): the weighted optimum of the unguided problem
    is not monotone (Subject #8: 361 N at the 50th, 327 N at the 80th percentile), one more
    reason not to run without guide postures."""
    from liftrisk.predict import predict_max_weight, with_guide_postures
    from liftrisk.predict.problem2d import _x_of

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        df = max_weight_table(SUBJECT8, problem=problem, guides={"squat": "squat", "none": None},
                              percentiles=(20.0, 50.0, 80.0))
        assert len(df) == 6
        w = df[df.guide == "squat"].sort_values("percentile").box_weight_n.to_numpy()
        assert np.all(np.isfinite(w)) and np.all(np.diff(w) > 0)
        # the template matters: with no guide posture the weight is far higher (Subject #8)
        assert df[df.guide == "none"].box_weight_n.min() > 1.5 * df[df.guide == "squat"].box_weight_n.min()
        prob, x, anchor = with_guide_postures(problem, None), None, []
        for pct in (20.0, 50.0, 80.0):
            res = predict_max_weight(SUBJECT8, strength_percentile=pct, problem=prob, x0=x)
            x = _x_of(prob, res.max_weight)
            anchor.append(res.max_weight.box_weight_n)
    assert np.all(np.diff(anchor) > 0)


def test_both_stacks_satisfy_the_shared_protocols(problem):
    from liftrisk.predict import LiftingModel, PreparedProblem, prepare_problem_3d

    assert isinstance(problem.model, LiftingModel) and isinstance(problem, PreparedProblem)
    p3 = prepare_problem_3d(SUBJECT8, LiftTask(guide_postures_deg=None), n_between=2, n_quadrature=13)
    assert isinstance(p3.model, LiftingModel) and isinstance(p3, PreparedProblem)


def test_percentile_for_weight_round_trip(problem):
    """A weight predicted at the 70th percentile calibrates back to about the 70th (bisection on
    the monotone guided prediction; tolerance: 1 N on the weight)."""
    from liftrisk.predict import percentile_for_weight, predict_max_weight

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PredictionWarning)
        w70 = predict_max_weight(SUBJECT8, strength_percentile=70.0, problem=problem).solution.box_weight_n
    pct = percentile_for_weight(SUBJECT8, w70, problem=problem, bounds=(40.0, 90.0), tol_n=1.0)
    assert pct == pytest.approx(70.0, abs=1.5)
    with pytest.raises(Exception, match="outside the predicted range"):
        percentile_for_weight(SUBJECT8, 5000.0, problem=problem, bounds=(40.0, 90.0))
