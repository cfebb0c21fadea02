"""Gradient saliency: analytic check on a linear model, PNG output."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from liftrisk.imu.estimator import LiftRiskClassifier
from liftrisk.imu.saliency import class_saliency, input_gradients, save_saliency_png


class LinearFlat(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(27000, 3)

    def forward(self, x):
        return self.out(x)


def test_saliency_of_linear_score_is_weight_magnitude(tiny_dataset):
    """For S_c = w_c . I + b_c the saliency dS_c/dI is w_c for every input (Snyder et al. 2021, Eq 6-8)."""
    clf = LiftRiskClassifier(model="mlp", max_epochs=1).fit(tiny_dataset.trials, tiny_dataset.y)
    torch.manual_seed(0)
    clf.model_ = LinearFlat()
    g = input_gradients(clf, tiny_dataset.trials[:2], 1)
    w = clf.model_.out.weight[1].detach().abs().numpy()
    np.testing.assert_allclose(g[0], w, rtol=1e-6)
    np.testing.assert_allclose(g[1], w, rtol=1e-6)


def test_class_maps_and_png(tiny_dataset, tmp_path):
    clf = LiftRiskClassifier(model="cnn", max_epochs=1).fit(tiny_dataset.trials, tiny_dataset.y)
    maps = class_saliency(clf, tiny_dataset.trials[:8], tiny_dataset.y[:8])
    for m in maps.values():
        assert m["image"].shape == (95, 95) and m["sensor_time"].shape == (750, 36)
        assert (m["sensor_time"] >= 0).all()
    paths = save_saliency_png(maps, tmp_path, "cnn")
    assert len(paths) == len(maps) >= 1
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
