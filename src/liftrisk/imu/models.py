"""PyTorch networks of Snyder et al. 2021 (CPU).

- ``vgg_avg``: the proposed VGGNet-B variant (Snyder et al. 2021, Table 2): conv 32 -> avg-pool -> dropout ->
  conv 64, conv 64 -> avg-pool -> dropout -> conv 128, conv 128 -> avg-pool -> dropout ->
  flatten -> dense 1024 -> batch norm -> dropout -> softmax output. 3x3 kernels with ReLU,
  "valid" padding (the Keras default the paper used), 2x2 pooling cells. On a 95x95x3 image
  the last feature map is 128 x 8 x 8.
- ``vgg_max``: identical with 2x2 max pooling.
- ``cnn``: the paper's simpler CNN "without any form of pooling or a dense layer, consisting only
  of convolutional layers and a softmax output" (our reading: two 3x3 conv layers of 16
  filters, then the output layer).
- ``mlp``: fully connected network on the flat 27,000-value vector (our reading: 256 and 128
  ReLU units with dropout; the paper gives no sizes).
- ``cnn_lstm``: DeepConvLSTM-style (Ordonez & Roggen, Sensors 16:115, 2016): four 1D
  convolutions over time (64 filters, kernel 5, ReLU) on the 750 x 36 sequence, two LSTM
  layers of 128 units, output layer. DeepConvLSTM classifies from the last time step; here the
  LSTM outputs are averaged over the window, because after zero-padding the last step lies up
  to 20 s after the lift.

Every network returns class scores (logits); softmax is applied by the loss and by
``predict_proba``. The output layer is the attribute ``out`` (the L2 penalty applies to it).
"""

from __future__ import annotations

import torch
from torch import nn

from liftrisk.errors import ModelError
from liftrisk.imu.layout import N_CHANNELS, N_FEATURES
from liftrisk.imu.preprocess import IMAGE_CHANNELS, IMAGE_SIDE

#: Input layout each architecture takes: "image" (n, 3, 95, 95), "sequence" (n, 750, 36)
#: or "flat" (n, 27000).
INPUT_LAYOUT: dict[str, str] = {"vgg_avg": "image", "vgg_max": "image", "cnn": "image",
                                "mlp": "flat", "cnn_lstm": "sequence"}
ARCHITECTURES: tuple[str, ...] = tuple(INPUT_LAYOUT)


def _conv_out(side: int, n_conv: int) -> int:
    return side - 2 * n_conv


class VGGB(nn.Module):
    """Network of Snyder et al. 2021, Table 2; ``pool`` is ``"avg"`` (proposed) or ``"max"``.

    Parameters
    ----------
    pool : {"avg", "max"}
        Pooling of the three blocks.
    n_classes : int
        Number of output classes.
    dropout : float
        Dropout fraction (0-1).
    side : int
        Image side (pixels).
    in_channels : int
        Image channels (the 3 sensor axes).
    dense_activation : {"relu", "linear"}
        Activation of the 1024-unit dense layer; Table 2 names none (ReLU is stated for the
        convolutions only). "relu" (liftrisk default) or "linear" (Keras' Dense default).
    conv_padding : {"valid", "same"}
        Convolution padding, not stated in the paper ("valid" is Keras' default).
    weight_init : {"torch", "glorot"}
        PyTorch's default initialisation, or Keras' (Glorot-uniform weights, zero biases).

    Examples
    --------
    >>> VGGB()(torch.zeros(2, 3, 95, 95)).shape
    torch.Size([2, 3])
    >>> VGGB(conv_padding="same", dense_activation="linear")(torch.zeros(2, 3, 95, 95)).shape
    torch.Size([2, 3])
    """

    def __init__(self, pool: str = "avg", n_classes: int = 3, dropout: float = 0.25, side: int = IMAGE_SIDE,
                 in_channels: int = IMAGE_CHANNELS, dense_activation: str = "relu", conv_padding: str = "valid",
                 weight_init: str = "torch"):
        super().__init__()
        if pool not in ("avg", "max") or dense_activation not in ("relu", "linear") or \
                conv_padding not in ("valid", "same") or weight_init not in ("torch", "glorot"):
            raise ModelError(f"VGGB options pool={pool!r}, dense_activation={dense_activation!r}, conv_padding="
                             f"{conv_padding!r}, weight_init={weight_init!r}; expected avg|max, relu|linear, "
                             "valid|same, torch|glorot")
        pool_cls = {"avg": nn.AvgPool2d, "max": nn.MaxPool2d}[pool]
        pad = 1 if conv_padding == "same" else 0

        def conv(a, b):
            return nn.Conv2d(a, b, 3, padding=pad)

        self.features = nn.Sequential(
            conv(in_channels, 32), nn.ReLU(), pool_cls(2), nn.Dropout(dropout),
            conv(32, 64), nn.ReLU(), conv(64, 64), nn.ReLU(), pool_cls(2), nn.Dropout(dropout),
            conv(64, 128), nn.ReLU(), conv(128, 128), nn.ReLU(), pool_cls(2), nn.Dropout(dropout),
        )
        if conv_padding == "same":
            s = side // 2 // 2 // 2
        else:
            s = _conv_out(side, 1) // 2
            s = _conv_out(s, 2) // 2
            s = _conv_out(s, 2) // 2
        act = [nn.ReLU()] if dense_activation == "relu" else []
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(128 * s * s, 1024), *act, nn.BatchNorm1d(1024),
                                  nn.Dropout(dropout))
        self.out = nn.Linear(1024, n_classes)
        if weight_init == "glorot":
            for m in self.modules():
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    nn.init.xavier_uniform_(m.weight)
                    nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.head(self.features(x)))


class SimpleCNN(nn.Module):
    """Convolutions only, then the output layer (no pooling, no hidden dense layer).

    Parameters
    ----------
    n_classes : int
        Number of output classes.
    dropout : float
        Dropout fraction (0-1).
    side : int
        Image side (pixels).
    in_channels : int
        Image channels (the 3 sensor axes).
    filters : int
        Filters of each convolution.

    Examples
    --------
    >>> SimpleCNN()(torch.zeros(1, 3, 95, 95)).shape
    torch.Size([1, 3])
    """

    def __init__(self, n_classes: int = 3, dropout: float = 0.25, side: int = IMAGE_SIDE,
                 in_channels: int = IMAGE_CHANNELS, filters: int = 16):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(in_channels, filters, 3), nn.ReLU(),
                                      nn.Conv2d(filters, filters, 3), nn.ReLU(), nn.Flatten(), nn.Dropout(dropout))
        self.out = nn.Linear(filters * _conv_out(side, 2) ** 2, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.features(x))


class MLP(nn.Module):
    """Multilayer perceptron on the flat feature vector.

    Parameters
    ----------
    n_classes : int
        Number of output classes.
    dropout : float
        Dropout fraction (0-1).
    n_in : int
        Length of the flat feature vector.
    hidden : tuple of int
        Units of the hidden layers.

    Examples
    --------
    >>> MLP()(torch.zeros(2, 27000)).shape
    torch.Size([2, 3])
    """

    def __init__(self, n_classes: int = 3, dropout: float = 0.25, n_in: int = N_FEATURES,
                 hidden: tuple[int, ...] = (256, 128)):
        super().__init__()
        layers: list[nn.Module] = []
        prev = n_in
        for h in hidden:
            layers += [nn.Linear(prev, h), nn.ReLU(), nn.Dropout(dropout)]
            prev = h
        self.features = nn.Sequential(*layers)
        self.out = nn.Linear(prev, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.features(x))


class CNNLSTM(nn.Module):
    """DeepConvLSTM-style network on sequences (n, frames, 36).

    Parameters
    ----------
    n_classes : int
        Number of output classes.
    dropout : float
        Dropout fraction (0-1).
    n_in : int
        Channels per frame.
    filters : int
        Filters of each 1D convolution.
    kernel : int
        Kernel length (frames).
    lstm_units : int
        Units of each LSTM layer.

    Examples
    --------
    >>> CNNLSTM()(torch.zeros(2, 750, 36)).shape
    torch.Size([2, 3])
    """

    def __init__(self, n_classes: int = 3, dropout: float = 0.25, n_in: int = N_CHANNELS, filters: int = 64,
                 kernel: int = 5, lstm_units: int = 128):
        super().__init__()
        convs: list[nn.Module] = []
        prev = n_in
        for _ in range(4):
            convs += [nn.Conv1d(prev, filters, kernel), nn.ReLU()]
            prev = filters
        self.conv = nn.Sequential(*convs)
        self.lstm = nn.LSTM(filters, lstm_units, num_layers=2, batch_first=True, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(lstm_units, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv(x.transpose(1, 2)).transpose(1, 2)    # (n, frames', filters)
        o, _ = self.lstm(h)
        return self.out(self.drop(o.mean(dim=1)))


def build_network(name: str, n_classes: int = 3, dropout: float = 0.25, **vgg_options) -> nn.Module:
    """Network by architecture name (one of ``ARCHITECTURES``).

    Parameters
    ----------
    name : str
        One of ``ARCHITECTURES`` (``"vgg_avg"``, ``"vgg_max"``, ``"cnn"``, ``"mlp"``, ``"cnn_lstm"``).
    n_classes : int
        Number of output classes.
    dropout : float
        Dropout fraction (0-1).
    **vgg_options
        ``dense_activation``, ``conv_padding``, ``weight_init`` of :class:`VGGB` (VGG models only;
        ignored by the others, whose layouts the paper does not give).

    Returns
    -------
    torch.nn.Module
        The untrained network (CPU).

    Examples
    --------
    >>> type(build_network("vgg_max")).__name__
    'VGGB'
    """
    if name in ("vgg_avg", "vgg_max"):
        return VGGB(pool=name[4:], n_classes=n_classes, dropout=dropout, **vgg_options)
    if name == "cnn":
        return SimpleCNN(n_classes=n_classes, dropout=dropout)
    if name == "mlp":
        return MLP(n_classes=n_classes, dropout=dropout)
    if name == "cnn_lstm":
        return CNNLSTM(n_classes=n_classes, dropout=dropout)
    raise ModelError(f"model is {name!r}; expected one of {', '.join(ARCHITECTURES)}")
