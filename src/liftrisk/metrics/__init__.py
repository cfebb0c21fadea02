"""liftrisk.metrics: agreement statistics (RMSE, Pearson r, ICC, peaks) and lift-cycle /
body-size normalisation used by every area's validation (see docs/metrics.md)."""

from liftrisk.metrics.agreement import compare_series, icc, icc_class, peak_comparison, pearson_r, rmse
from liftrisk.metrics.lift_comparison import LiftComparison, compare_lifts
from liftrisk.metrics.normalisation import normalise_kinetics, time_normalise

__all__ = ["rmse", "pearson_r", "icc", "icc_class", "compare_series", "peak_comparison", "time_normalise",
           "normalise_kinetics", "compare_lifts", "LiftComparison"]
