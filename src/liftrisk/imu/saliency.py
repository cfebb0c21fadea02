"""Gradient saliency maps (Simonyan, Vedaldi & Zisserman 2014; Snyder et al. 2021, Eq 6-8).

The saliency of input element I for class c is |dS_c/dI| at the trial, with S_c the class score
before the softmax; for the image models the maximum over the three image channels gives one
value per pixel (Simonyan et al.). Class maps are averages over the trials of that class. Maps
are returned in both the model's layout (95 x 95 image) and the sensor x time layout
(36 channels x 750 frames, through ``image_to_windows``), which shows which sensor and which
moment of the lift drive the class (Snyder et al. 2021, Fig 9 and 10).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from liftrisk.imu.estimator import LiftRiskClassifier, encode_labels
from liftrisk.imu.layout import N_CHANNELS, N_FRAMES, RATE_HZ, channel_names
from liftrisk.imu.models import INPUT_LAYOUT
from liftrisk.imu.preprocess import image_to_windows
from liftrisk.imu.training import torch_settings


def input_gradients(clf: LiftRiskClassifier, trials, target_class: int) -> np.ndarray:
    """|d score_c / d input| for each trial, in the model's input layout.

    Parameters
    ----------
    clf : LiftRiskClassifier
        A fitted classifier.
    trials : sequence of numpy.ndarray
        Raw trials, each (T_i, 36) at 25 Hz (m/s², rad/s) in ``channel_names()`` order.
    target_class : int
        Class index whose score is differentiated.

    Returns
    -------
    numpy.ndarray
        Absolute gradients, one row per trial, in the model's input layout.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(100, 36)) for _ in range(3)]
    >>> clf = LiftRiskClassifier(model="mlp", max_epochs=1).fit(X, ["low", "medium", "high"])
    >>> input_gradients(clf, X[:2], 0).shape
    (2, 27000)
    """
    x = clf.transform(trials).clone().requires_grad_(True)
    clf.model_.eval()
    with torch_settings(clf.predict_threads, clf.random_state):
        scores = clf.model_(x)
        scores[:, int(target_class)].sum().backward()
    return x.grad.abs().numpy().astype(float)


def to_sensor_time(grad: np.ndarray, model: str) -> np.ndarray:
    """Gradients in the model layout -> (n, 750 frames, 36 channels).

    Parameters
    ----------
    grad : numpy.ndarray
        Gradients from `input_gradients`.
    model : str
        Architecture name (fixes the input layout).

    Returns
    -------
    numpy.ndarray
        (n, 750, 36) gradients per frame and channel.

    Examples
    --------
    >>> to_sensor_time(np.ones((1, 27000)), "mlp").shape
    (1, 750, 36)
    """
    layout = INPUT_LAYOUT[model]
    if layout == "image":
        return image_to_windows(grad)
    return grad.reshape(grad.shape[0], N_FRAMES, N_CHANNELS)


def class_saliency(clf: LiftRiskClassifier, trials, y) -> dict[str, dict[str, np.ndarray]]:
    """Mean saliency of each class over the trials whose true class it is.

    Parameters
    ----------
    clf : LiftRiskClassifier
        A fitted classifier.
    trials : sequence of numpy.ndarray
        Raw trials, each (T_i, 36) at 25 Hz (m/s², rad/s) in ``channel_names()`` order.
    y : sequence
        True risk label of each trial.

    Returns
    -------
    dict
        ``{class_name: {"image": (95, 95) or None, "sensor_time": (750, 36), "n": int}}``
        (classes without trials are left out).
    """
    yi = encode_labels(y)
    trials = list(trials)
    out = {}
    for c, name in enumerate(clf.classes_):
        sel = np.flatnonzero(yi == c)
        if sel.size == 0:
            continue
        g = input_gradients(clf, [trials[i] for i in sel], c)
        image = g.max(axis=1).mean(axis=0) if INPUT_LAYOUT[clf.model] == "image" else None
        out[str(name)] = {"image": image, "sensor_time": to_sensor_time(g, clf.model).mean(axis=0), "n": int(sel.size)}
    return out


def save_saliency_png(maps: dict, out_dir, model: str = "") -> list[Path]:
    """Write one PNG per class (image layout when available, and sensor x time) to ``out_dir``.

    Returns the written paths.

    Parameters
    ----------
    maps : dict
        Output of `class_saliency`.
    out_dir : str or os.PathLike
        Output folder (created).
    model : str
        Architecture name, for the titles.

    Returns
    -------
    list of pathlib.Path
        The PNG files written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    labels = [c.replace("_mps2", "").replace("_radps", "") for c in channel_names()]
    for name, m in maps.items():
        ncols = 2 if m["image"] is not None else 1
        fig, axes = plt.subplots(1, ncols, figsize=(6 * ncols + 2, 6), squeeze=False)
        ax = axes[0, 0]
        if m["image"] is not None:
            im = ax.imshow(m["image"], cmap="viridis")
            ax.set_title(f"{name} risk: saliency, 95x95 image (max over x/y/z)")
            fig.colorbar(im, ax=ax, fraction=0.046)
            ax = axes[0, 1]
        st = m["sensor_time"].T
        im = ax.imshow(st, aspect="auto", cmap="viridis", extent=(0, N_FRAMES / RATE_HZ, N_CHANNELS - 0.5, -0.5))
        ax.set_yticks(range(N_CHANNELS))
        ax.set_yticklabels(labels, fontsize=5)
        ax.set_xlabel("time in window (s)")
        ax.set_title(f"{name} risk: saliency by sensor channel and time (n={m['n']})")
        fig.colorbar(im, ax=ax, fraction=0.046)
        fig.suptitle(f"gradient saliency, model {model}" if model else "gradient saliency")
        fig.tight_layout()
        p = d / f"saliency_{name}.png"
        fig.savefig(p, dpi=110)
        plt.close(fig)
        paths.append(p)
    return paths
