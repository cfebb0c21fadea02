"""Shared NLP pieces: the last-value cache of the objective gradient, solver runs as JSON values."""

from __future__ import annotations

import casadi as ca
import numpy as np
import pytest

from liftrisk.predict._nlp import LastValue, SolverRun, run_as_dict, run_from_dict


class _Counting(ca.Callback):
    """x, p -> (sum(x^2) p, 2 x p), counting its evaluations."""

    def __init__(self):
        ca.Callback.__init__(self)
        self.calls = 0
        self.construct("counting", {})

    def get_n_in(self):
        return 2

    def get_n_out(self):
        return 2

    def get_sparsity_in(self, i):
        return ca.Sparsity.dense(3, 1) if i == 0 else ca.Sparsity.dense(1, 1)

    def get_sparsity_out(self, i):
        return ca.Sparsity.dense(1, 1) if i == 0 else ca.Sparsity.dense(3, 1)

    def eval(self, arg):
        self.calls += 1
        x, p = np.asarray(arg[0]).ravel(), float(arg[1])
        return [ca.DM(float(x @ x) * p), ca.DM(2.0 * x * p)]


def test_last_value_evaluates_once_per_distinct_input_with_the_same_values():
    inner = _Counting()
    once = LastValue("once", inner)
    x, y = np.array([1.0, -2.0, 0.5]), np.array([1.0, -2.0, 0.5 + 1e-15])
    for args, calls in (((x, 2.0), 1), ((x, 2.0), 1), ((x, 3.0), 2), ((y, 3.0), 3), ((y, 3.0), 3), ((x, 2.0), 4)):
        f, g = once(*args)
        assert inner.calls == calls
        assert float(f) == float(args[0] @ args[0]) * args[1]          # bit for bit the inner function's values
        np.testing.assert_array_equal(np.asarray(g).ravel(), 2.0 * args[0] * args[1])


def test_solver_runs_round_trip_and_bad_entries_are_refused():
    run = SolverRun(np.array([0.1, 1 / 3]), np.array([2.0]), True, "Solve_Succeeded", 12, 0.25, 1e-9, ("note",))
    back = run_from_dict(run_as_dict(run), 2, 1)
    np.testing.assert_array_equal(back.x, run.x)
    assert (back.status, back.iterations, back.warnings) == (run.status, run.iterations, run.warnings)
    with pytest.raises(ValueError, match="shape"):
        run_from_dict(run_as_dict(run), 3, 1)
    with pytest.raises(ValueError, match="KeyError"):
        run_from_dict({"x": [0.0]}, 1, 0)
