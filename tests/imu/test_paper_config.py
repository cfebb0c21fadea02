"""paper_strict configuration of the IMU classifier and its open choices."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from liftrisk.imu import OPEN_CHOICES, LiftRiskClassifier, paper_strict_classifier
from liftrisk.imu.models import VGGB


def test_open_choices_cover_the_named_gaps():
    names = {c.name for c in OPEN_CHOICES}
    for gap in ("band-pass phase", "min-max scaling granularity", "dense-layer activation", "convolution padding",
                "weight initialisation"):
        assert gap in names
    assert all(c.paper_strict and c.liftrisk_default and c.paper_says for c in OPEN_CHOICES)


def test_paper_strict_follows_the_explicit_values():
    clf = paper_strict_classifier()
    assert (clf.model, clf.learning_rate, clf.l2, clf.dropout, clf.patience) == ("vgg_avg", 1e-3, 1e-5, 0.25, 10)
    assert (clf.dense_activation, clf.conv_padding, clf.weight_init) == ("linear", "valid", "glorot")
    d = LiftRiskClassifier()
    assert (d.dense_activation, d.weight_init) == ("relu", "torch")


def test_vgg_open_choices_change_the_network():
    lin = VGGB(dense_activation="linear", weight_init="glorot")
    assert not any(isinstance(m, nn.ReLU) for m in lin.head)
    assert any(isinstance(m, nn.ReLU) for m in VGGB().head)
    assert float(lin.out.bias.abs().max()) == 0.0   # Keras: zero biases
    same = VGGB(conv_padding="same")
    assert same.head[1].in_features == 128 * 11 * 11 and VGGB().head[1].in_features == 128 * 8 * 8
    assert same(torch.zeros(2, 3, 95, 95)).shape == (2, 3)


def test_paper_strict_fits_saves_and_loads(tmp_path):
    rng = np.random.default_rng(0)
    X = [rng.normal(size=(250, 36)) for _ in range(6)]
    clf = paper_strict_classifier(max_epochs=1).fit(X, ["low", "medium", "high"] * 2)
    path = tmp_path / "m.pt"
    clf.save(path)
    back = LiftRiskClassifier.load(path)
    assert back.dense_activation == "linear" and back.weight_init == "glorot"
    np.testing.assert_allclose(back.predict_proba(X[:2]), clf.predict_proba(X[:2]), atol=1e-6)
