"""Evaluation protocols: the random 75/25 split of Snyder et al. 2021 and leave-subjects-out cross-validation.

The random split (Snyder et al. 2021: 540 training / 180 test trials drawn at random without replacement)
puts trials of the same subjects in both sets; leave-subjects-out folds keep every subject's
trials together, which is the honest estimate for a worker the model has never seen. The
scaling is fitted on each training set only (inside ``LiftRiskClassifier.fit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone

from liftrisk.errors import DataQualityError
from liftrisk.imu.estimator import LiftRiskClassifier, encode_labels
from liftrisk.imu.metrics import ClassificationReport, classification_report


@dataclass
class EvaluationResult:
    """Outcome of one protocol.

    Attributes
    ----------
    protocol : str
        ``"random_split"`` or ``"leave_subjects_out"``.
    report : ClassificationReport
        Metrics on all test predictions (pooled over folds).
    fold_reports : list of ClassificationReport
        One per fold (one element for the random split).
    test_index : numpy.ndarray
        Trial positions that were predicted, in prediction order.
    y_pred : numpy.ndarray of int
        Predicted class index of each test trial.
    probabilities : numpy.ndarray (n_test, 3)
    fit_seconds : list of float
        Training time of each fold.
    epochs : list of int
        Epochs run in each fold.
    estimators : list
        The fitted estimator of each fold (kept only when ``keep_estimators``).
    """

    protocol: str
    report: ClassificationReport
    fold_reports: list[ClassificationReport]
    test_index: np.ndarray
    y_pred: np.ndarray
    probabilities: np.ndarray
    fit_seconds: list[float]
    epochs: list[int]
    estimators: list = field(default_factory=list)

    def summary(self) -> dict:
        """Pooled metrics plus the mean and SD of fold accuracy and RK."""
        out = {"protocol": self.protocol, **self.report.as_dict(), "n_folds": len(self.fold_reports),
               "fit_seconds_mean": float(np.mean(self.fit_seconds)), "epochs_mean": float(np.mean(self.epochs))}
        acc = [r.accuracy for r in self.fold_reports]
        rk = [r.rk for r in self.fold_reports]
        out.update(fold_accuracy_mean=float(np.mean(acc)), fold_accuracy_sd=float(np.std(acc)),
                   fold_rk_mean=float(np.mean(rk)), fold_rk_sd=float(np.std(rk)))
        return out


def random_split_indices(n: int, test_fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random train/test positions without replacement (Snyder et al. 2021: 75/25, 540/180 of 720).

    Parameters
    ----------
    n : int
        Number of trials.
    test_fraction : float
        Share of the trials in the test set (0-1).
    seed : int
        Seed of the draw.

    Returns
    -------
    train, test : numpy.ndarray
        Trial positions (int).

    Examples
    --------
    >>> tr, te = random_split_indices(720)
    >>> len(tr), len(te), len(set(tr) & set(te))
    (540, 180, 0)
    """
    if not 0.0 < test_fraction < 1.0:
        raise DataQualityError(f"test_fraction is {test_fraction}; expected between 0 and 1")
    perm = np.random.default_rng(seed).permutation(n)
    n_test = int(round(n * test_fraction))
    if n_test < 1 or n_test >= n:
        raise DataQualityError(f"{n} trials cannot be split with test_fraction={test_fraction}")
    return np.sort(perm[n_test:]), np.sort(perm[:n_test])


def subject_folds(subjects: Sequence, n_folds: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Leave-subjects-out folds: each subject's trials are in exactly one test fold.

    Subjects are shuffled with ``seed`` and dealt round-robin into ``n_folds`` groups
    (``n_folds`` = number of subjects gives leave-one-subject-out).

    Parameters
    ----------
    subjects : sequence
        Subject of each trial.
    n_folds : int
        Number of folds.
    seed : int
        Seed of the subject shuffle.

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)
        (train, test) trial positions of each fold.

    Examples
    --------
    >>> folds = subject_folds(["a", "a", "b", "b", "c", "c"], n_folds=3)
    >>> sorted(len(te) for _, te in folds)
    [2, 2, 2]
    """
    s = np.asarray(subjects).astype(str)
    uniq = np.unique(s)
    if n_folds < 2 or n_folds > uniq.size:
        raise DataQualityError(f"n_folds is {n_folds} with {uniq.size} subjects; expected 2 <= n_folds <= subjects")
    order = np.random.default_rng(seed).permutation(uniq)
    groups = [order[i::n_folds] for i in range(n_folds)]
    return [(np.flatnonzero(~np.isin(s, g)), np.flatnonzero(np.isin(s, g))) for g in groups]


def _run(protocol: str, trials, y, splits, estimator: LiftRiskClassifier, keep_estimators: bool) -> EvaluationResult:
    yi = encode_labels(y)
    idx_all, pred_all, prob_all, reports, secs, epochs, ests = [], [], [], [], [], [], []
    for train, test in splits:
        est = clone(estimator).fit([trials[i] for i in train], yi[train])
        prob = est.predict_proba([trials[i] for i in test])
        pred = prob.argmax(axis=1)
        reports.append(classification_report(yi[test], pred))
        idx_all.append(test)
        pred_all.append(pred)
        prob_all.append(prob)
        secs.append(est.fit_time_s_)
        epochs.append(len(est.history_))
        if keep_estimators:
            ests.append(est)
    idx = np.concatenate(idx_all)
    pred = np.concatenate(pred_all)
    return EvaluationResult(protocol, classification_report(yi[idx], pred), reports, idx, pred,
                            np.concatenate(prob_all), secs, epochs, ests)


def evaluate_random_split(trials, y, estimator: LiftRiskClassifier | None = None, test_fraction: float = 0.25,
                          seed: int = 0, keep_estimators: bool = True) -> EvaluationResult:
    """Train on a random 75 % of the trials, test on the rest (the protocol of Snyder et al. 2021).

    Parameters
    ----------
    trials : sequence of arrays (T_i, 36)
    y : sequence of risk labels
    estimator : LiftRiskClassifier, optional
        Unfitted template (cloned); default: the proposed model with the hyperparameters of Snyder et al. 2021.
    test_fraction, seed
        Size of the test set and seed of the draw.
    keep_estimators : bool
        Keep the fitted estimator in the result (for saliency maps).

    Returns
    -------
    EvaluationResult
        Pooled and per-fold metrics, predictions and (optionally) the fitted estimators.
    """
    est = estimator if estimator is not None else LiftRiskClassifier()
    return _run("random_split", trials, y, [random_split_indices(len(trials), test_fraction, seed)], est,
                keep_estimators)


def evaluate_leave_subjects_out(trials, y, subjects, estimator: LiftRiskClassifier | None = None,
                                n_folds: int = 5, seed: int = 0, keep_estimators: bool = False) -> EvaluationResult:
    """Cross-validation with whole subjects held out (new-worker estimate).

    Parameters are as ``evaluate_random_split``; ``subjects`` gives the subject of each trial
    and ``n_folds`` the number of subject groups.

    Parameters
    ----------
    trials : sequence of numpy.ndarray
        Raw trials, each (T_i, 36) at 25 Hz (m/s², rad/s) in ``channel_names()`` order.
    y : sequence
        Risk label of each trial.
    subjects : sequence
        Subject of each trial.
    estimator : LiftRiskClassifier, optional
        Unfitted template (cloned); default: the proposed model.
    n_folds : int
        Number of folds (= number of subjects for leave-one-subject-out).
    seed : int
        Seed of the subject shuffle.
    keep_estimators : bool
        Keep the fitted estimators in the result.

    Returns
    -------
    EvaluationResult
        Pooled and per-fold metrics, predictions and (optionally) the fitted estimators.
    """
    est = estimator if estimator is not None else LiftRiskClassifier()
    return _run("leave_subjects_out", trials, y, subject_folds(subjects, n_folds, seed), est, keep_estimators)
