"""Estimator contract (scikit-learn), persistence and input checks."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import check_no_attributes_set_in_init, check_parameters_default_constructible

from liftrisk.errors import DataQualityError, ModelError
from liftrisk.imu.estimator import LiftRiskClassifier, encode_labels


@pytest.fixture(scope="module")
def fitted(tiny_dataset):
    return LiftRiskClassifier(model="mlp", max_epochs=2).fit(tiny_dataset.trials, tiny_dataset.y)


def test_sklearn_init_contract():
    check_no_attributes_set_in_init("LiftRiskClassifier", LiftRiskClassifier())
    check_parameters_default_constructible("LiftRiskClassifier", LiftRiskClassifier())
    est = LiftRiskClassifier(model="cnn", l2=1e-3)
    c = clone(est)
    assert c.get_params() == est.get_params() and c is not est


def test_defaults_are_the_papers():
    p = LiftRiskClassifier().get_params()
    assert (p["model"], p["learning_rate"], p["l2"], p["dropout"], p["patience"]) == ("vgg_avg", 1e-3, 1e-5, 0.25, 10)


def test_fit_returns_self_and_learned_attributes(tiny_dataset):
    est = LiftRiskClassifier(model="mlp", max_epochs=1)
    assert est.fit(tiny_dataset.trials, tiny_dataset.y) is est
    learned = {k for k in vars(est) if k not in est.get_params()}
    assert learned and all(k.endswith("_") for k in learned)
    assert list(est.classes_) == ["low", "medium", "high"]


def test_predict_proba_rows_sum_to_one(fitted, tiny_dataset):
    p = fitted.predict_proba(tiny_dataset.trials[:5])
    assert p.shape == (5, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    assert list(fitted.predict(tiny_dataset.trials[:5])) == list(fitted.classes_[p.argmax(axis=1)])
    assert 0.0 <= fitted.score(tiny_dataset.trials, tiny_dataset.y) <= 1.0


def test_save_load_round_trip(fitted, tiny_dataset, tmp_path):
    path = fitted.save(tmp_path / "m.pt")
    back = LiftRiskClassifier.load(path)
    x = tiny_dataset.trials[:4]
    np.testing.assert_allclose(back.predict_proba(x), fitted.predict_proba(x), atol=1e-6)
    assert back.get_params() == fitted.get_params()


def test_load_errors(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        LiftRiskClassifier.load(tmp_path / "none.pt")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="not a liftrisk IMU model"):
        LiftRiskClassifier.load(bad)


def test_unfitted_and_bad_inputs():
    with pytest.raises(ModelError, match="not fitted"):
        LiftRiskClassifier().predict([np.zeros((10, 36))])
    with pytest.raises(DataQualityError, match="36"):
        LiftRiskClassifier(model="mlp").fit([np.zeros((10, 30))] * 2, ["low", "high"])
    with pytest.raises(DataQualityError, match="labels"):
        LiftRiskClassifier(model="mlp").fit([np.zeros((10, 36))] * 3, ["low", "high"])
    with pytest.raises(ModelError, match="expected one of"):
        LiftRiskClassifier(model="resnet").fit([np.zeros((10, 36))] * 2, ["low", "high"])


def test_encode_labels():
    assert encode_labels(["low", "HIGH", 1]).tolist() == [0, 2, 1]
    with pytest.raises(Exception, match="low"):
        encode_labels(["big"])
    with pytest.raises(DataQualityError):
        encode_labels([3])


def test_same_seed_same_model(tiny_dataset):
    a = LiftRiskClassifier(model="cnn", max_epochs=1, random_state=3).fit(tiny_dataset.trials, tiny_dataset.y)
    b = LiftRiskClassifier(model="cnn", max_epochs=1, random_state=3).fit(tiny_dataset.trials, tiny_dataset.y)
    np.testing.assert_array_equal(a.predict_proba(tiny_dataset.trials[:3]), b.predict_proba(tiny_dataset.trials[:3]))
