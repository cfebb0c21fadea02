"""Evaluation protocols: split sizes, subject folds, tiny end-to-end runs."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.errors import DataQualityError
from liftrisk.imu.estimator import LiftRiskClassifier
from liftrisk.imu.evaluation import (
    evaluate_leave_subjects_out,
    evaluate_random_split,
    random_split_indices,
    subject_folds,
)


def test_random_split_sizes_are_the_papers():
    tr, te = random_split_indices(720, 0.25, seed=1)
    assert (len(tr), len(te)) == (540, 180)
    assert sorted(np.r_[tr, te].tolist()) == list(range(720))


def test_subject_folds_keep_subjects_together():
    subjects = np.repeat([f"S{i}" for i in range(10)], 72)
    folds = subject_folds(subjects, n_folds=5, seed=0)
    seen = []
    for tr, te in folds:
        assert not set(subjects[tr]) & set(subjects[te])
        assert len(set(subjects[te])) == 2
        seen += list(te)
    assert sorted(seen) == list(range(720))
    with pytest.raises(DataQualityError):
        subject_folds(subjects, n_folds=11)


def test_protocols_end_to_end(tiny_dataset):
    est = LiftRiskClassifier(model="mlp", max_epochs=1)
    r = evaluate_random_split(tiny_dataset.trials, tiny_dataset.y, est)
    assert r.report.confusion.sum() == 6 and len(r.estimators) == 1
    cv = evaluate_leave_subjects_out(tiny_dataset.trials, tiny_dataset.y, tiny_dataset.subjects, est, n_folds=2)
    assert cv.report.confusion.sum() == 24 and len(cv.fold_reports) == 2
    s = cv.summary()
    assert s["protocol"] == "leave_subjects_out" and -1 <= s["rk"] <= 1
