"""The IMU classifier as Snyder et al. 2021 describe it (``paper_strict``), and every choice they leave open.

`paper_strict_classifier()` follows the paper where it is explicit (architecture of its
Table 2, band-pass 2-12 Hz of order 2, 25 Hz, 30 s zero-padded window, min-max scaling to
[-1, 1] fitted on the training data, per-sensor standardisation, Adam with alpha = 1e-3,
L2 lambda = 1e-5 on the output layer only, dropout 25 %, early stopping on the training loss
with patience 10 and min delta 0 keeping the best weights, random 75/25 split of the trials).
Where the paper is silent it takes the default of the toolkit the paper names (Keras 2.2.4 on
TensorFlow 1.15, scikit-learn 0.21.3) or, where no toolkit default decides, a stated reading;
`OPEN_CHOICES` lists each open choice with the paper_strict value and liftrisk's default.

liftrisk's default `LiftRiskClassifier()` differs from paper_strict in two open choices only:
the dense layer's activation (ReLU, as every other hidden layer of Table 2, instead of Keras'
linear default, which makes the dense layer + batch norm + output an affine map of the
flattened features) and the weight initialisation (PyTorch's own). Neither effect was measured
here (a full training takes about 6 minutes on 2 cores per configuration).
"""

from __future__ import annotations

from dataclasses import dataclass

from liftrisk.imu.estimator import LiftRiskClassifier

__all__ = ["OPEN_CHOICES", "PAPER_STRICT_PARAMS", "OpenChoice", "paper_strict_classifier"]


@dataclass(frozen=True)
class OpenChoice:
    """One choice Snyder et al. 2021 leave open.

    Attributes
    ----------
    name : str
        What is chosen.
    paper_says : str
        What the paper states about it (or that it is silent).
    paper_strict : str
        Value used by `paper_strict_classifier` and why.
    liftrisk_default : str
        Value of `LiftRiskClassifier()`.
    """

    name: str
    paper_says: str
    paper_strict: str
    liftrisk_default: str


OPEN_CHOICES: tuple[OpenChoice, ...] = (
    OpenChoice("band-pass phase", "Butterworth, order 2, 2-12 Hz; phase not stated",
               "zero-phase (forward-backward, offline trials)", "zero-phase (`zero_phase=False` for a live stream)"),
    OpenChoice("filter order meaning", "order 2", "scipy butter(N=2) band-pass (4 poles)", "same"),
    OpenChoice("min-max scaling granularity", "scaled to [-1, 1] on the training data; per what not stated",
               "per channel (36 = 12 sensors x 3 axes) on the real frames; a per-feature scikit-learn "
               "MinMaxScaler over the 27,000 padded values is the other reading (not implemented)", "same"),
    OpenChoice("standardisation granularity", "'standardized for each sensor' to mean 0, SD 1",
               "one mean/SD per sensor (accelerometer or gyroscope of one IMU, 3 axes pooled)", "same"),
    OpenChoice("image wrap order", "36 x 750 x 3 stack line-wrapped into 95 x 95 x 3",
               "axis = image channel; frames in order, the 12 sensors of a frame adjacent; last 25 cells zero",
               "same"),
    OpenChoice("convolution padding", "not stated", "valid (Keras default)", "valid"),
    OpenChoice("dense-layer activation", "ReLU stated for the convolutions only (Table 2)",
               "linear (Keras Dense default)", "ReLU"),
    OpenChoice("weight initialisation", "not stated", "Glorot-uniform weights, zero biases (Keras default)",
               "PyTorch default"),
    OpenChoice("batch size", "not stated", "32 (Keras default)", "32"),
    OpenChoice("early-stopping maximum", "early stopping only", "200 epochs as a safety bound", "200"),
)

#: `LiftRiskClassifier` parameters of the paper_strict configuration.
PAPER_STRICT_PARAMS: dict = {
    "model": "vgg_avg", "learning_rate": 1e-3, "l2": 1e-5, "dropout": 0.25, "batch_size": 32, "patience": 10,
    "max_epochs": 200, "zero_phase": True, "dense_activation": "linear", "conv_padding": "valid",
    "weight_init": "glorot",
}


def paper_strict_classifier(**overrides) -> LiftRiskClassifier:
    """The proposed model of Snyder et al. 2021 with every open choice set as in `OPEN_CHOICES`.

    Parameters
    ----------
    **overrides
        Any `LiftRiskClassifier` parameter to change (e.g. ``random_state``, ``n_threads``).

    Returns
    -------
    LiftRiskClassifier
        Unfitted.

    Examples
    --------
    >>> clf = paper_strict_classifier(random_state=3)
    >>> clf.dense_activation, clf.weight_init, clf.l2, clf.random_state
    ('linear', 'glorot', 1e-05, 3)
    """
    return LiftRiskClassifier(**{**PAPER_STRICT_PARAMS, **overrides})
