"""Lift-risk classifier with scikit-learn's estimator contract.

``LiftRiskClassifier`` takes raw trials (each a (T, 36) array at 25 Hz in the channel order of
``liftrisk.imu.layout.channel_names()``) and risk labels, runs the preprocessing of Snyder et al. 2021 (band-
pass, zero-padding, scaling fitted on the training trials only, image or sequence layout) and
trains one of the networks of :mod:`liftrisk.imu.models`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin

from liftrisk.errors import DataQualityError, ModelError
from liftrisk.imu.layout import N_CHANNELS, N_FEATURES
from liftrisk.imu.models import INPUT_LAYOUT, build_network
from liftrisk.imu.preprocess import ImuScaler, filter_and_pad, to_image, to_sequence
from liftrisk.imu.training import torch_settings, train_model
from liftrisk.imu.zones import RISK_LEVELS, risk_index

FILE_FORMAT = "liftrisk-imu-classifier"
FILE_VERSION = 1


def encode_labels(y) -> np.ndarray:
    """Risk labels (``"low"/"medium"/"high"`` or 0/1/2) -> class indices.

    Parameters
    ----------
    y : sequence
        Risk names or class indices.

    Returns
    -------
    numpy.ndarray
        Class indices (int64; 0 low, 1 medium, 2 high).

    Examples
    --------
    >>> encode_labels(["high", "low", 1]).tolist()
    [2, 0, 1]
    """
    out = []
    for v in np.asarray(y, dtype=object).ravel():
        if isinstance(v, str):
            out.append(risk_index(v))
        else:
            iv = int(v)
            if iv != v or not 0 <= iv < len(RISK_LEVELS):
                raise DataQualityError(f"label {v!r}; expected 'low', 'medium', 'high' or 0, 1, 2")
            out.append(iv)
    return np.asarray(out, dtype=np.int64)


def _as_trials(X) -> list[np.ndarray]:
    if isinstance(X, np.ndarray) and X.ndim == 3:
        return list(X)
    if isinstance(X, np.ndarray) and X.ndim == 2:
        raise DataQualityError("X is one 2-D array; expected a list of trials (frames, 36). Fix: pass [trial]")
    trials = [np.asarray(t, dtype=float) for t in X]
    for i, t in enumerate(trials):
        if t.ndim != 2 or t.shape[1] != N_CHANNELS:
            raise DataQualityError(f"trial {i} has shape {t.shape}; expected (frames, {N_CHANNELS}) columns in the "
                                   "order of liftrisk.imu.layout.channel_names()")
    return trials


class LiftRiskClassifier(ClassifierMixin, BaseEstimator):
    """Lift-risk classifier of Snyder et al. 2021 (preprocessing + network), scikit-learn style.

    Parameters
    ----------
    model : str
        Architecture: ``"vgg_avg"`` (proposed), ``"vgg_max"``, ``"cnn_lstm"``, ``"cnn"``, ``"mlp"``.
    learning_rate : float
        Adam step size alpha (dimensionless; Snyder et al. 2021: 1e-3).
    l2 : float
        L2 weight lambda on the output layer (Snyder et al. 2021: 1e-5).
    dropout : float
        Dropout fraction (Snyder et al. 2021: 0.25).
    batch_size : int
        Mini-batch size (Keras default, 32).
    max_epochs : int
        Upper bound on epochs; early stopping normally ends training first.
    patience : int
        Epochs without a training-loss decrease before stopping (Snyder et al. 2021: 10).
    random_state : int
        Seed of weight initialisation, dropout and batch order.
    n_threads : int
        Torch CPU threads while fitting (at most this many).
    predict_threads : int
        Torch CPU threads while predicting. One thread is the fastest for one lift (a 95x95 image
        is too small to split), and much faster on a shared, busy CPU.
    zero_phase : bool
        Forward-backward band-pass (True) or causal (False); the paper does not say.
    dense_activation, conv_padding, weight_init : str
        Open choices of the VGG networks (see `liftrisk.imu.paper_config.OPEN_CHOICES`):
        "relu"/"linear", "valid"/"same", "torch"/"glorot".
    verbose : bool
        Print per-epoch losses.

    Attributes
    ----------
    classes_ : numpy.ndarray of str
        ``["low", "medium", "high"]`` (class index order, always all three).
    scaler_ : ImuScaler
        Scaling fitted on the training trials.
    model_ : torch.nn.Module
        Trained network (best-loss weights).
    history_ : list of float
        Training loss per epoch.
    best_epoch_ : int
        Epoch (0-based) whose weights were kept.
    fit_time_s_ : float
        Wall time of ``fit`` in s.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(250, 36)) for _ in range(6)]
    >>> clf = LiftRiskClassifier(model="mlp", max_epochs=1).fit(X, ["low", "medium", "high"] * 2)
    >>> clf.predict_proba(X[:2]).shape, clf.predict(X[:1])[0] in clf.classes_
    ((2, 3), True)
    """

    def __init__(self, model: str = "vgg_avg", learning_rate: float = 1e-3, l2: float = 1e-5,
                 dropout: float = 0.25, batch_size: int = 32, max_epochs: int = 200, patience: int = 10,
                 random_state: int = 0, n_threads: int = 2, predict_threads: int = 1, zero_phase: bool = True,
                 dense_activation: str = "relu", conv_padding: str = "valid", weight_init: str = "torch",
                 verbose: bool = False):
        self.model = model
        self.learning_rate = learning_rate
        self.l2 = l2
        self.dropout = dropout
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.random_state = random_state
        self.n_threads = n_threads
        self.predict_threads = predict_threads
        self.zero_phase = zero_phase
        self.dense_activation = dense_activation
        self.conv_padding = conv_padding
        self.weight_init = weight_init
        self.verbose = verbose

    def _vgg_options(self) -> dict:
        return {"dense_activation": self.dense_activation, "conv_padding": self.conv_padding,
                "weight_init": self.weight_init}

    # -- preprocessing --------------------------------------------------------------------
    def _layout(self) -> str:
        if self.model not in INPUT_LAYOUT:
            raise ModelError(f"model is {self.model!r}; expected one of {', '.join(INPUT_LAYOUT)}")
        return INPUT_LAYOUT[self.model]

    def _inputs(self, scaled: np.ndarray) -> torch.Tensor:
        layout = self._layout()
        if layout == "image":
            arr = to_image(scaled)
        elif layout == "sequence":
            arr = to_sequence(scaled)
        else:
            arr = scaled.reshape(scaled.shape[0], N_FEATURES)
        return torch.from_numpy(np.ascontiguousarray(arr, dtype=np.float32))

    def transform(self, X) -> torch.Tensor:
        """Preprocess raw trials into the network's input tensor (needs a fitted scaler)."""
        self._check_fitted()
        windows, lengths = filter_and_pad(_as_trials(X), zero_phase=self.zero_phase)
        return self._inputs(self.scaler_.transform(windows, lengths))

    # -- estimator contract ---------------------------------------------------------------
    def fit(self, X, y) -> LiftRiskClassifier:
        """Fit scaling and network on training trials.

        Parameters
        ----------
        X : sequence of arrays (T_i, 36), or array (n, T, 36)
            Raw trials at 25 Hz (m/s² and rad/s), T_i <= 750.
        y : sequence of str or int
            Risk level of each trial.

        Returns
        -------
        self
        """
        t0 = time.perf_counter()
        trials = _as_trials(X)
        yi = encode_labels(y)
        if len(trials) != yi.size:
            raise DataQualityError(f"{len(trials)} trials but {yi.size} labels; expected one label per trial")
        if len(trials) < 2:
            raise DataQualityError("fit needs at least 2 trials")
        self._layout()
        windows, lengths = filter_and_pad(trials, zero_phase=self.zero_phase)
        self.scaler_ = ImuScaler().fit(windows, lengths)
        x = self._inputs(self.scaler_.transform(windows, lengths))
        with torch_settings(self.n_threads, self.random_state):
            net = build_network(self.model, len(RISK_LEVELS), self.dropout, **self._vgg_options())
            hist = train_model(net, x, torch.from_numpy(yi), learning_rate=self.learning_rate, l2=self.l2,
                               batch_size=self.batch_size, max_epochs=self.max_epochs, patience=self.patience,
                               seed=self.random_state, verbose=self.verbose)
        self.model_ = net
        self.history_ = hist.loss
        self.best_epoch_ = hist.best_epoch
        self.classes_ = np.array(RISK_LEVELS)
        self.n_features_in_ = N_CHANNELS
        self.fit_time_s_ = time.perf_counter() - t0
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise ModelError("LiftRiskClassifier is not fitted; call fit(X, y) or LiftRiskClassifier.load(path)")

    def decision_function(self, X) -> np.ndarray:
        """Class scores (logits), shape (n, 3)."""
        x = self.transform(X)
        self.model_.eval()
        with torch_settings(self.predict_threads, self.random_state), torch.inference_mode():
            return self.model_(x).numpy().astype(float)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (softmax), shape (n, 3), columns in ``classes_`` order."""
        s = self.decision_function(X)
        e = np.exp(s - s.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """Most probable risk level of each trial (array of str)."""
        scores = self.decision_function(X)
        return self.classes_[np.argmax(scores, axis=1)]

    def score(self, X, y, sample_weight=None) -> float:
        """Accuracy on (X, y); y may be names or indices."""
        pred = encode_labels(self.predict(X))
        return float(np.average(pred == encode_labels(y), weights=sample_weight))

    # -- persistence ----------------------------------------------------------------------
    def save(self, path) -> Path:
        """Write the fitted classifier to a ``.pt`` file (tensors and plain values only)."""
        self._check_fitted()
        p = Path(path)
        state = {
            "format": FILE_FORMAT, "version": FILE_VERSION,
            "params": {k: (v.item() if isinstance(v, np.generic) else v) for k, v in self.get_params().items()},
            "state_dict": self.model_.state_dict(), "scaler": self.scaler_.to_dict(),
            "classes": [str(c) for c in self.classes_], "history": [float(v) for v in self.history_],
            "best_epoch": int(self.best_epoch_),
            "fit_time_s": float(self.fit_time_s_),
        }
        p.parent.mkdir(parents=True, exist_ok=True)
        torch.save(state, p)
        return p

    @classmethod
    def load(cls, path) -> LiftRiskClassifier:
        """Read a classifier written by ``save`` (safe loading: no arbitrary objects)."""
        p = Path(path)
        if not p.is_file():
            raise ModelError(f"{p}: model file not found. Fix: train one with `liftrisk imu train DATA -o {p}`")
        try:
            state = torch.load(p, map_location="cpu", weights_only=True)
        except Exception as exc:  # noqa: BLE001 - any unpickling failure means the same to the user
            raise ModelError(f"{p}: not a liftrisk IMU model file ({type(exc).__name__}: {exc})") from None
        if not isinstance(state, dict) or state.get("format") != FILE_FORMAT:
            raise ModelError(f"{p}: not a liftrisk IMU model file (format tag missing)")
        if state.get("version") != FILE_VERSION:
            raise ModelError(f"{p}: model file version {state.get('version')}; this liftrisk reads version "
                             f"{FILE_VERSION}. Fix: retrain the model")
        obj = cls(**state["params"])
        net = build_network(obj.model, len(state["classes"]), obj.dropout, **obj._vgg_options())
        net.load_state_dict(state["state_dict"])
        net.eval()
        obj.model_ = net
        obj.scaler_ = ImuScaler.from_dict(state["scaler"])
        obj.classes_ = np.array(state["classes"])
        obj.history_ = list(state["history"])
        obj.best_epoch_ = int(state["best_epoch"])
        obj.fit_time_s_ = float(state["fit_time_s"])
        obj.n_features_in_ = N_CHANNELS
        return obj


def trials_from_arrays(X: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Validate and return a list of (T, 36) float arrays (helper for callers).

    Parameters
    ----------
    X : sequence of array_like
        Trials, each (T_i, 36).

    Returns
    -------
    list of numpy.ndarray
        (T_i, 36) float arrays (m/s², rad/s).

    Examples
    --------
    >>> len(trials_from_arrays([np.zeros((10, 36))]))
    1
    """
    return _as_trials(X)
