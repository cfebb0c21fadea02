"""liftrisk.processing: signal processing of time series (filtering, gap filling, resampling).

All functions take and return new objects (Motion, GroundReaction or arrays whose first
dimension is time) and are vectorised over points and frames.
"""

from liftrisk.processing.filters import butter_lowpass, butterworth_gain, lowpass
from liftrisk.processing.gap_policy import fill_and_lowpass
from liftrisk.processing.gaps import fill_gaps, fill_gaps_array
from liftrisk.processing.resample import resample, resample_array, time_base
from liftrisk.processing.runs import peak, spans_s

__all__ = ["butter_lowpass", "butterworth_gain", "lowpass", "fill_gaps", "fill_gaps_array",
           "fill_and_lowpass", "resample", "resample_array", "time_base", "peak", "spans_s"]
