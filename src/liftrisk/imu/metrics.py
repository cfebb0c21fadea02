"""Classification metrics of Snyder et al. 2021: per-class precision, recall, F-measure,
accuracy, confusion matrix and the multiclass RK correlation (Gorodkin 2004).

RK (Gorodkin J, "Comparing two K-category assignments by a K-category correlation
coefficient", Comput Biol Chem 28:367-374, 2004; Snyder et al. 2021, Eq 5) on a K x K confusion matrix C:

    RK = sum_klm (C_kk C_lm - C_kl C_mk)
         / ( sqrt(sum_k (sum_l C_kl)(sum_{k'!=k} sum_l' C_k'l'))
             * sqrt(sum_k (sum_l C_lk)(sum_{k'!=k} sum_l' C_l'k')) )

It equals Matthews' correlation for K = 2 and ``sklearn.metrics.matthews_corrcoef`` for any K.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from liftrisk.errors import DataQualityError


def confusion_matrix(y_true, y_pred, n_classes: int = 3) -> np.ndarray:
    """Confusion matrix C[i, j] = number of trials of true class i predicted as j.

    Parameters
    ----------
    y_true, y_pred : array_like of int
        True and predicted class indices 0..n_classes-1.
    n_classes : int
        Number of classes.

    Returns
    -------
    numpy.ndarray
        (n_classes, n_classes) counts (int).

    Examples
    --------
    >>> confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2]).tolist()
    [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
    """
    t = np.asarray(y_true, dtype=np.int64).ravel()
    p = np.asarray(y_pred, dtype=np.int64).ravel()
    if t.shape != p.shape:
        raise DataQualityError(f"y_true has {t.size} labels and y_pred {p.size}; expected the same number")
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= n_classes):
        raise DataQualityError(f"labels must be class indices 0..{n_classes - 1}")
    c = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(c, (t, p), 1)
    return c


def rk_coefficient(cm) -> float:
    """Gorodkin's K-category correlation RK from a confusion matrix (Snyder et al. 2021, Eq 5).

    Computed with the triple sums exactly as written in Eq 5 (vectorised). Returns 0 when a
    denominator factor is zero (all trials in one true or one predicted class), as
    scikit-learn does.

    Parameters
    ----------
    cm : array_like, shape (K, K)
        Confusion matrix (rows true, columns predicted; RK is symmetric in the two).

    Returns
    -------
    float
        RK in [-1, 1].

    Examples
    --------
    >>> rk_coefficient([[5, 0], [0, 5]])
    1.0
    >>> round(rk_coefficient([[5, 1, 0], [2, 6, 2], [0, 1, 3]]), 6)
    0.54138
    """
    c = np.asarray(cm, dtype=float)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise DataQualityError(f"confusion matrix has shape {c.shape}; expected square (K, K)")
    d = np.diag(c)
    # sum_klm C_kk C_lm - C_kl C_mk
    num = np.einsum("k,lm->", d, c) - np.einsum("kl,mk->", c, c)
    row = c.sum(axis=1)          # sum_l C_kl
    col = c.sum(axis=0)          # sum_l C_lk
    total = c.sum()
    den1 = np.sum(row * (total - row))   # sum_k row_k * sum_{k' != k} row_k'
    den2 = np.sum(col * (total - col))
    if den1 <= 0 or den2 <= 0:
        return 0.0
    return float(num / np.sqrt(den1 * den2))


@dataclass
class ClassificationReport:
    """Metrics of one evaluation.

    Attributes
    ----------
    confusion : numpy.ndarray (K, K)
        Rows true class, columns predicted.
    precision, recall, f_measure, support : numpy.ndarray (K,)
        Per class (Snyder et al. 2021, Eq 2-4); 0 where undefined (no prediction / no trial of the class).
    accuracy : float
    rk : float
        Gorodkin RK.
    labels : tuple of str
    """

    confusion: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    f_measure: np.ndarray
    support: np.ndarray
    accuracy: float
    rk: float
    labels: tuple[str, ...] = field(default=("low", "medium", "high"))

    def as_dict(self) -> dict:
        """Plain-Python summary (JSON-ready)."""
        out = {"accuracy": self.accuracy, "rk": self.rk, "confusion": self.confusion.tolist()}
        for i, lab in enumerate(self.labels):
            out[f"{lab}_precision"] = float(self.precision[i])
            out[f"{lab}_recall"] = float(self.recall[i])
            out[f"{lab}_f"] = float(self.f_measure[i])
            out[f"{lab}_support"] = int(self.support[i])
        return out

    def to_text(self) -> str:
        """Table in the style of Snyder et al. 2021, Table 4, plus the confusion matrix."""
        lines = [f"{'class':<8}{'precision':>10}{'recall':>8}{'F':>8}{'n':>6}"]
        for i, lab in enumerate(self.labels):
            lines.append(f"{lab:<8}{self.precision[i]:>10.3f}{self.recall[i]:>8.3f}{self.f_measure[i]:>8.3f}"
                         f"{int(self.support[i]):>6d}")
        lines.append(f"accuracy {self.accuracy:.3f}   RK {self.rk:.3f}")
        lines.append("confusion (rows true, columns predicted): " + str(self.confusion.tolist()))
        return "\n".join(lines)


def classification_report(y_true, y_pred, labels=("low", "medium", "high")) -> ClassificationReport:
    """Per-class precision, recall and F-measure, accuracy, confusion matrix and RK.

    Parameters
    ----------
    y_true, y_pred : array_like of int
        Class indices 0..K-1.
    labels : sequence of str
        Class names, index order.

    Returns
    -------
    ClassificationReport
        Per-class precision, recall and F (0-1), accuracy, confusion matrix and RK.

    Examples
    --------
    >>> r = classification_report([0, 1, 2, 2], [0, 2, 2, 2])
    >>> r.accuracy, r.recall.tolist(), round(float(r.f_measure[2]), 3)
    (0.75, [1.0, 0.0, 1.0], 0.8)
    """
    labels = tuple(labels)
    cm = confusion_matrix(y_true, y_pred, len(labels))
    tp = np.diag(cm).astype(float)
    pred = cm.sum(axis=0).astype(float)
    true = cm.sum(axis=1).astype(float)
    precision = np.divide(tp, pred, out=np.zeros_like(tp), where=pred > 0)
    recall = np.divide(tp, true, out=np.zeros_like(tp), where=true > 0)
    s = precision + recall
    f = np.divide(2 * precision * recall, s, out=np.zeros_like(tp), where=s > 0)
    total = cm.sum()
    acc = float(tp.sum() / total) if total else 0.0
    return ClassificationReport(cm, precision, recall, f, true.astype(np.int64), acc, rk_coefficient(cm), labels)
