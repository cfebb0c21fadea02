"""Network shapes and sizes against the layer table of Snyder et al. 2021 (Table 2) (hand-counted parameters)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from liftrisk.errors import ModelError
from liftrisk.imu.models import ARCHITECTURES, CNNLSTM, INPUT_LAYOUT, VGGB, build_network


def _n_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def test_vgg_parameter_count_by_hand():
    # valid 3x3 convs on 95x95: 93 -> pool 46 -> 44 -> 42 -> pool 21 -> 19 -> 17 -> pool 8
    conv = (3 * 9 * 32 + 32) + (32 * 9 * 64 + 64) + (64 * 9 * 64 + 64) + (64 * 9 * 128 + 128) + (128 * 9 * 128 + 128)
    dense = 128 * 8 * 8 * 1024 + 1024
    bn = 2 * 1024
    out = 1024 * 3 + 3
    assert _n_params(VGGB("avg")) == conv + dense + bn + out == 8_672_515
    assert _n_params(VGGB("max")) == _n_params(VGGB("avg"))


def test_vgg_layer_sequence_follows_snyder_table2():
    m = VGGB("avg")
    kinds = [type(x).__name__ for x in m.features]
    assert kinds == ["Conv2d", "ReLU", "AvgPool2d", "Dropout",
                     "Conv2d", "ReLU", "Conv2d", "ReLU", "AvgPool2d", "Dropout",
                     "Conv2d", "ReLU", "Conv2d", "ReLU", "AvgPool2d", "Dropout"]
    assert [c.out_channels for c in m.features if isinstance(c, nn.Conv2d)] == [32, 64, 64, 128, 128]
    assert all(c.kernel_size == (3, 3) for c in m.features if isinstance(c, nn.Conv2d))
    assert [type(x).__name__ for x in m.head] == ["Flatten", "Linear", "ReLU", "BatchNorm1d", "Dropout"]
    assert m.head[1].out_features == 1024 and m.features[3].p == 0.25
    assert any(isinstance(x, nn.MaxPool2d) for x in VGGB("max").features)
    assert m.features(torch.zeros(1, 3, 95, 95)).shape == (1, 128, 8, 8)


def test_average_and_max_pooling_differ_only_in_pooling():
    torch.manual_seed(0)
    a = VGGB("avg")
    b = VGGB("max")
    b.load_state_dict(a.state_dict())
    a.eval()
    b.eval()
    x = torch.randn(2, 3, 95, 95)
    assert not torch.allclose(a(x), b(x))


@pytest.mark.parametrize("name", ARCHITECTURES)
def test_output_shape(name):
    shape = {"image": (2, 3, 95, 95), "sequence": (2, 750, 36), "flat": (2, 27000)}[INPUT_LAYOUT[name]]
    m = build_network(name).eval()
    with torch.no_grad():
        assert m(torch.zeros(shape)).shape == (2, 3)
    assert isinstance(m.out, nn.Linear)


def test_simple_cnn_has_no_pooling_or_hidden_dense():
    m = build_network("cnn")
    kinds = {type(x).__name__ for x in m.modules()}
    assert not kinds & {"MaxPool2d", "AvgPool2d"}
    assert sum(isinstance(x, nn.Linear) for x in m.modules()) == 1


def test_cnn_lstm_structure():
    m = CNNLSTM()
    assert sum(isinstance(x, nn.Conv1d) for x in m.conv) == 4
    assert m.lstm.num_layers == 2 and m.lstm.hidden_size == 128


def test_unknown_model():
    with pytest.raises(ModelError, match="vgg_avg"):
        build_network("resnet")
