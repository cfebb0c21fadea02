"""Cubic B-spline parameterisation: exact on cubics, derivatives consistent."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.predict.bspline import basis_matrices, collocation_times


@settings(max_examples=20, deadline=None)
@given(coef=st.lists(st.floats(-2, 2), min_size=4, max_size=4), T=st.floats(0.5, 3.0))
def test_cubic_polynomial_reproduced_with_exact_derivatives(coef, T):
    """A cubic polynomial lies in the spline space: least-squares control points reproduce it
    and its analytic first/second derivatives (tolerance: float round-off)."""
    poly = np.polynomial.Polynomial(coef)
    t_fit = np.linspace(0, T, 25)
    N, _, _ = basis_matrices(5, T, t_fit)
    P, *_ = np.linalg.lstsq(N, poly(t_fit), rcond=None)
    t = np.linspace(0, T, 11)
    N, dN, ddN = basis_matrices(5, T, t)
    scale = 1 + np.abs(coef).sum() * max(1, T) ** 3
    np.testing.assert_allclose(N @ P, poly(t), atol=1e-9 * scale)
    np.testing.assert_allclose(dN @ P, poly.deriv()(t), atol=1e-8 * scale)
    np.testing.assert_allclose(ddN @ P, poly.deriv(2)(t), atol=1e-7 * scale)


def test_paper_constraint_instants():
    # 5 control points: knots 0, T/2, T, plus two instants between adjacent knots = 7 instants
    assert np.allclose(collocation_times(5, 1.44), np.linspace(0, 1.44, 7))
