"""Small shared fixtures of the imu tests (tiny synthetic data, seconds to make)."""

from __future__ import annotations

import pytest

from liftrisk.imu.synthetic import generate_dataset


@pytest.fixture(scope="session")
def tiny_dataset():
    """2 subjects x 12 zones x 1 trial = 24 synthetic lifts."""
    return generate_dataset(n_subjects=2, trials_per_zone=1, seed=5)
