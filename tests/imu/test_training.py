"""Training loop: early stopping rule, L2 term, determinism."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from liftrisk.imu.training import l2_penalty, torch_settings, train_model


class Linear(nn.Module):
    def __init__(self, n_in=4, zero=False):
        super().__init__()
        self.out = nn.Linear(n_in, 3)
        if zero:
            nn.init.zeros_(self.out.weight)
            nn.init.zeros_(self.out.bias)

    def forward(self, x):
        return self.out(x)


def test_early_stopping_patience_on_flat_loss():
    """With zero weights and no learning the loss is exactly ln 3 every epoch: no epoch improves
    on the first, so training stops after 1 + patience epochs and keeps epoch 0."""
    x = torch.randn(20, 4)
    y = torch.randint(0, 3, (20,))
    h = train_model(Linear(zero=True), x, y, learning_rate=0.0, l2=0.0, max_epochs=100, patience=4)
    assert len(h.loss) == 5 and h.best_epoch == 0
    assert h.loss[0] == pytest.approx(np.log(3.0))


def test_best_weights_restored():
    """Diverging training (huge step): the returned weights are those of the lowest-loss epoch."""
    torch.manual_seed(0)
    x = torch.randn(40, 4)
    y = (x[:, 0] > 0).long()
    snapshots = []

    class Spy(Linear):
        def forward(self, inp):
            if self.training and inp.shape[0] == 40:
                snapshots.append(self.out.weight.detach().clone())
            return super().forward(inp)

    m = Spy()
    h = train_model(m, x, y, learning_rate=0.05, l2=0.0, batch_size=40, max_epochs=30, patience=3)
    # one batch per epoch: the weights after epoch k are those seen at the start of epoch k+1
    kept = h.best_epoch
    if kept + 1 < len(snapshots):
        assert torch.equal(m.out.weight, snapshots[kept + 1])
    assert len(h.loss) <= 30 and h.loss[kept] == min(h.loss)


def test_l2_penalty_value():
    m = Linear()
    with torch.no_grad():
        m.out.weight.fill_(2.0)
    assert float(l2_penalty(m, 1e-5).detach()) == pytest.approx(1e-5 * 12 * 4.0)


def test_torch_settings_restores_state():
    before = (torch.get_num_threads(), torch.are_deterministic_algorithms_enabled())
    with torch_settings(1, 0):
        assert torch.get_num_threads() == 1 and torch.are_deterministic_algorithms_enabled()
    assert (torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()) == before


def test_same_seed_same_result():
    x = torch.randn(30, 4)
    y = torch.randint(0, 3, (30,))
    out = []
    for _ in range(2):
        with torch_settings(2, 7):
            m = Linear()
            train_model(m, x, y, max_epochs=3, seed=7)
        out.append(m.out.weight.detach().clone())
    assert torch.equal(out[0], out[1])


class TinyConv(nn.Module):
    """Small dropout-free conv net with avg pooling and batch norm (the layer kinds of VGG-B)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AvgPool2d(2), nn.Conv2d(8, 8, 3), nn.ReLU(),
                                      nn.Flatten(), nn.Linear(8 * 4 * 4, 16), nn.ReLU(), nn.BatchNorm1d(16))
        self.out = nn.Linear(16, 3)

    def forward(self, x):
        return self.out(self.features(x))


def test_fast_path_matches_plain_path():
    """Channels-last + fused Adam (fast=True) computes the same training as plain NCHW + for-loop
    Adam (a second implementation): without dropout the per-epoch losses and final weights agree to
    float32 rounding, and the returned model is back in the default memory format."""
    g = torch.Generator().manual_seed(3)
    x = torch.randn(48, 3, 15, 15, generator=g)
    y = torch.randint(0, 3, (48,), generator=g)
    hs, nets = [], []
    for fast in (False, True):
        with torch_settings(1, 0):
            net = TinyConv()
            hs.append(train_model(net, x, y, batch_size=16, max_epochs=4, patience=10, fast=fast))
        nets.append(net)
    np.testing.assert_allclose(hs[1].loss, hs[0].loss, rtol=1e-4)
    assert hs[1].loss[-1] < hs[1].loss[0]
    w_plain, w_fast = nets[0].features[0].weight, nets[1].features[0].weight
    assert w_fast.is_contiguous()
    torch.testing.assert_close(w_fast, w_plain, rtol=1e-3, atol=1e-5)
