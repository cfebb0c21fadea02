"""RK (Gorodkin) and per-class metrics against scikit-learn and hand computation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import matthews_corrcoef, precision_recall_fscore_support

from liftrisk.imu.metrics import classification_report, confusion_matrix, rk_coefficient


def test_rk_hand_computed():
    # C = [[5,1,0],[2,6,2],[0,1,3]]: N = 20, trace 14, row sums t = (6,10,4), column sums
    # p = (7,8,5); sum t*p = 42+80+20 = 142; numerator N*trace - sum t*p = 280-142 = 138;
    # N^2 - sum p^2 = 400-138 = 262; N^2 - sum t^2 = 400-152 = 248;
    # RK = 138 / sqrt(262*248) = 138 / 254.9039 = 0.541380
    c = [[5, 1, 0], [2, 6, 2], [0, 1, 3]]
    assert rk_coefficient(c) == pytest.approx(138 / np.sqrt(262 * 248), abs=1e-12)
    assert rk_coefficient(c) == pytest.approx(0.541380, abs=5e-7)


def test_rk_binary_is_matthews():
    tp, fn, fp, tn = 20, 5, 3, 12
    mcc = (tp * tn - fp * fn) / np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    assert rk_coefficient([[tn, fp], [fn, tp]]) == pytest.approx(mcc, abs=1e-12)


def test_rk_perfect_and_inverse():
    assert rk_coefficient(np.diag([3, 4, 5])) == pytest.approx(1.0)
    assert rk_coefficient([[0, 5], [5, 0]]) == pytest.approx(-1.0)


def test_rk_degenerate_is_zero_like_sklearn():
    y = [0, 1, 2, 2]
    assert rk_coefficient(confusion_matrix(y, [2, 2, 2, 2])) == matthews_corrcoef(y, [2, 2, 2, 2]) == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2, max_size=80))
def test_rk_equals_sklearn_matthews(pairs):
    t, p = np.array(pairs).T
    ours = rk_coefficient(confusion_matrix(t, p))
    assert ours == pytest.approx(matthews_corrcoef(t, p), abs=1e-10)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=60))
def test_rk_symmetric_in_true_and_predicted(pairs):
    c = confusion_matrix(*np.array(pairs).T)
    assert rk_coefficient(c) == pytest.approx(rk_coefficient(c.T), abs=1e-12)


def test_per_class_metrics_match_sklearn():
    rng = np.random.default_rng(3)
    t = rng.integers(0, 3, 200)
    p = np.where(rng.random(200) < 0.6, t, rng.integers(0, 3, 200))
    r = classification_report(t, p)
    prec, rec, f, sup = precision_recall_fscore_support(t, p, labels=[0, 1, 2], zero_division=0)
    np.testing.assert_allclose(r.precision, prec)
    np.testing.assert_allclose(r.recall, rec)
    np.testing.assert_allclose(r.f_measure, f)
    assert r.support.tolist() == sup.tolist()
    assert r.accuracy == pytest.approx(np.mean(t == p))
    assert r.confusion.sum() == 200


def test_report_text_and_dict():
    r = classification_report([0, 1, 2], [0, 1, 1])
    d = r.as_dict()
    assert d["high_recall"] == 0.0 and d["low_f"] == 1.0
    assert "RK" in r.to_text()
