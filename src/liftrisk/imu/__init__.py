"""liftrisk.imu: the IMU lift-risk classifier of Snyder et al. 2021.

Six IMUs (back/T12, both wrists, dominant upper arm, waist, dominant thigh), 25 Hz, 2-12 Hz
Butterworth band-pass, 30 s zero-padded window, 95 x 95 x 3 image (or 750 x 36 sequence),
a VGG-B style CNN with average pooling and its baselines, RK metric, gradient saliency, a
dataset format and a synthetic lift generator (virtual IMUs; synthetic results are never
those of Snyder et al. 2021). See docs/imu.md.

Examples
--------
>>> from liftrisk.imu import generate_dataset, LiftRiskClassifier
>>> ds = generate_dataset(n_subjects=1, trials_per_zone=1)
>>> clf = LiftRiskClassifier(model="mlp", max_epochs=1).fit(ds.trials, ds.y)
>>> clf.predict_proba(ds.trials[:1]).shape
(1, 3)
"""

from liftrisk.imu.dataset import (
    ImuDataset,
    load_dataset,
    load_trial,
    trial_from_frame,
    trial_from_recording,
    write_dataset,
)
from liftrisk.imu.estimator import LiftRiskClassifier, encode_labels
from liftrisk.imu.evaluation import (
    EvaluationResult,
    evaluate_leave_subjects_out,
    evaluate_random_split,
    random_split_indices,
    subject_folds,
)
from liftrisk.imu.layout import RATE_HZ, SITES, WINDOW_S, channel_names, sensor_names
from liftrisk.imu.metrics import ClassificationReport, classification_report, confusion_matrix, rk_coefficient
from liftrisk.imu.models import ARCHITECTURES, build_network
from liftrisk.imu.paper_config import OPEN_CHOICES, paper_strict_classifier
from liftrisk.imu.preprocess import ImuScaler, bandpass, filter_and_pad, image_to_windows, to_image, to_sequence
from liftrisk.imu.saliency import class_saliency, input_gradients, save_saliency_png
from liftrisk.imu.synthetic import generate_dataset, simulate_lift, virtual_imu
from liftrisk.imu.zones import RISK_LEVELS

__all__ = [
    "OPEN_CHOICES", "paper_strict_classifier",
    "ARCHITECTURES", "ClassificationReport", "EvaluationResult", "ImuDataset", "ImuScaler", "LiftRiskClassifier",
    "RATE_HZ", "RISK_LEVELS", "SITES", "WINDOW_S", "bandpass", "build_network", "channel_names", "class_saliency",
    "classification_report", "confusion_matrix", "encode_labels", "evaluate_leave_subjects_out",
    "evaluate_random_split", "filter_and_pad", "generate_dataset", "image_to_windows", "input_gradients",
    "load_dataset", "load_trial", "random_split_indices", "rk_coefficient", "save_saliency_png", "sensor_names",
    "simulate_lift", "subject_folds", "to_image", "to_sequence", "trial_from_frame", "trial_from_recording",
    "virtual_imu", "write_dataset",
]
