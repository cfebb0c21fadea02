"""Uncertainty of an assessment: Monte Carlo bands, lift intervals and reliability verdicts.

`propagate` redraws the inputs (`liftrisk.uncertainty.sources`, with the position noise of
`liftrisk.uncertainty.noise`) through the kinetics and risk stages, vectorised over draws.
"""

from liftrisk.uncertainty.propagate import QUANTILES, SOURCES, Uncertainty, nanquantiles, propagate

__all__ = ["QUANTILES", "SOURCES", "Uncertainty", "nanquantiles", "propagate"]
