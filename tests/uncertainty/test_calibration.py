"""Quick calibration case: the 90 % bands cover the truth of a synthetic lift.

The full table (noise levels, camera rigs) is `benchmarks/calibrate_uncertainty.py`; this is
its first set-up with fewer draws. Truth = the assessment of the noise-free lift.
"""

import numpy as np

from benchmarks.calibrate_uncertainty import coverage
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.pipeline import assess_motion
from liftrisk.synthetic import synthetic_lift


def test_bands_cover_the_truth_of_a_noisy_lift():
    subj = Subject("male", 80.0, 1.78)
    kw = dict(origin_m=(0.45, 0.2), destination_m=(0.4, 1.0), asymmetry_deg=30.0, rate_hz=30.0, still_s=0.5)
    truth = assess_motion(synthetic_lift(subj, 10.0, **kw), subj, 10.0, AssessmentSettings(uncertainty_draws=0))
    noisy = synthetic_lift(subj, 10.0, noise_m=0.005, seed=1, **kw)
    a = assess_motion(noisy, subj, 10.0, AssessmentSettings(uncertainty_draws=100, uncertainty_seed=11))
    cov = coverage(a, truth)
    for q in ("l5s1_extension_moment_nm", "compression_n", "ap_shear_n", "r_shoulder_flexion_moment_nm"):
        assert 0.80 <= cov[q] <= 1.0, (q, cov[q])
    assert cov["li_in_interval"] == 1.0
    # not trivially wide: the compression band is narrower than a third of the peak
    b = a.uncertainty.bands
    assert np.nanmedian(b["compression_n_p95"] - b["compression_n_p05"]) < a.summary["peak_compression_n"] / 3
