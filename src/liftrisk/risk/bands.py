"""Angle bands of the observational methods, as data: where a body-part score changes.

A `Bands` object lists the band edges of one signed joint angle (degrees, at the edge of
the risk module) and the score of each band. It gives the crisp score (REBA/RULA) and the
trapezoidal fuzzy memberships of the fuzzy REBA (each edge becomes a linear transition of
half-width ``w`` where both neighbouring bands have membership 0.5 at the edge, as
Int J Intell Syst 2023 (sec. 3.2) prescribes: "adjacent membership functions are set to 0.5").

Boundary convention of the crisp score: an angle exactly on an edge gets the lower of the two
scores, as the methods' inclusive ranges read (REBA trunk 20 deg -> "0-20 deg" -> 2, elbow
60 and 100 deg -> "60-100 deg" -> 1, upper arm 45 deg -> "20-45 deg" -> 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Bands:
    """Score bands of one signed angle.

    Parameters
    ----------
    edges : tuple of float
        Increasing band edges in degrees (len n-1 for n bands).
    scores : tuple of int
        Score of each band (len n), from the most negative angles upwards.
    name : str
        What the angle is, for messages.

    Examples
    --------
    >>> b = Bands(edges=(-20.0, 20.0, 45.0, 90.0), scores=(2, 1, 2, 3, 4), name="upper arm")
    >>> b.crisp(np.array([0.0, 20.0, 30.0, 120.0, -30.0])).tolist()
    [1, 1, 2, 4, 2]
    """

    edges: tuple
    scores: tuple
    name: str = ""

    def __post_init__(self) -> None:
        e = np.asarray(self.edges, float)
        if len(self.scores) != len(e) + 1 or np.any(np.diff(e) <= 0):
            raise ValueError(f"bands {self.name!r}: need increasing edges and one more score than edges")

    @property
    def max_score(self) -> int:
        """Highest score of the bands."""
        return int(max(self.scores))

    def crisp(self, angle_deg) -> np.ndarray:
        """Integer score of each angle (NaN angles give score 0 = not scored)."""
        a = np.asarray(angle_deg, float)
        e = np.asarray(self.edges, float)
        sc = np.asarray(self.scores, np.int64)
        x = np.nan_to_num(a)
        # on an edge the two searches give the bands below and above it: keep the lower score
        s = np.minimum(sc[np.searchsorted(e, x, side="left")], sc[np.searchsorted(e, x, side="right")])
        return np.where(np.isfinite(a), s, 0)

    def half_widths(self, w_deg: float) -> np.ndarray:
        """Transition half-width at each edge: ``w_deg`` capped at half of each adjacent band."""
        e = np.asarray(self.edges, float)
        gaps = np.diff(e)
        cap_lo = np.concatenate([[np.inf], gaps]) / 2.0
        cap_hi = np.concatenate([gaps, [np.inf]]) / 2.0
        return np.minimum(w_deg, np.minimum(cap_lo, cap_hi))

    def memberships(self, angle_deg, w_deg: float) -> np.ndarray:
        """Trapezoidal membership of each angle in each score level.

        Returns an array (T, max_score + 1); column ``k`` is the membership in "score k"
        (column 0 is unused and zero). Memberships of each frame sum to 1.
        """
        a = np.asarray(angle_deg, float).reshape(-1, 1)
        e = np.asarray(self.edges, float)
        w = self.half_widths(w_deg)
        # rising part of band i+1 at edge i, falling part of band i at edge i
        up = np.clip((a - (e - w)) / (2.0 * w), 0.0, 1.0)          # (T, n_edges)
        n = len(self.scores)
        mu_band = np.ones((a.shape[0], n))
        mu_band[:, 1:] = np.minimum(mu_band[:, 1:], up)
        mu_band[:, :-1] = np.minimum(mu_band[:, :-1], 1.0 - up)
        out = np.zeros((a.shape[0], self.max_score + 1))
        for i, s in enumerate(self.scores):
            out[:, s] = np.maximum(out[:, s], mu_band[:, i])
        return out

    def trapezoids(self, w_deg: float, lo: float = -400.0, hi: float = 400.0) -> list[tuple[int, list[float]]]:
        """(score, [a, b, c, d]) trapezoid parameters of every band, for a fuzzy library."""
        e = np.asarray(self.edges, float)
        w = self.half_widths(w_deg)
        out = []
        for i, s in enumerate(self.scores):
            a, b = (lo, lo) if i == 0 else (e[i - 1] - w[i - 1], e[i - 1] + w[i - 1])
            c, d = (hi, hi) if i == len(self.scores) - 1 else (e[i] - w[i], e[i] + w[i])
            out.append((int(s), [float(a), float(b), float(c), float(d)]))
        return out


def threshold_bands(threshold_deg: float, name: str = "") -> Bands:
    """Bands of an adjustment that applies when ``|angle| > threshold_deg`` (scores 1/0/1).

    Parameters
    ----------
    threshold_deg : float
        Angle (deg) above which the adjustment applies.
    name : str
        Name of the adjustment, for messages.

    Returns
    -------
    Bands
        Scores 1 / 0 / 1 below -threshold, inside, above +threshold, with fuzzy edges.

    Examples
    --------
    >>> b = threshold_bands(20.0, "twist")
    >>> b.edges, b.scores
    ((-20.0, 20.0), (1, 0, 1))
    """
    t = float(threshold_deg)
    return Bands(edges=(-t, t), scores=(1, 0, 1), name=name)


def shift_levels(mu: np.ndarray, amount, max_level: int) -> np.ndarray:
    """Add a crisp or fuzzy adjustment to a fuzzy score.

    ``mu`` (T, L) is the membership of each score level; ``amount`` is a (T,) array of
    adjustment degrees in [0, 1] (crisp adjustments are 0 or 1) or an integer shift.
    The result is the mixture ``(1 - a) mu + a shift(mu)``; levels above ``max_level``
    are clipped to it, levels below 1 to 1.

    Parameters
    ----------
    mu : numpy.ndarray
        (T, L) memberships (dimensionless), column = score level (column 0 unused).
    amount : int or array_like
        Integer shift, or (T,) adjustment degrees in [0, 1].
    max_level : int
        Highest level; shifts beyond it are clipped.

    Returns
    -------
    numpy.ndarray
        (T, max_level + 1) memberships of the adjusted score.

    Examples
    --------
    >>> shift_levels(np.array([[0.0, 1.0, 0.0, 0.0]]), 1, 3).tolist()
    [[0.0, 0.0, 1.0, 0.0]]
    >>> shift_levels(np.array([[0.0, 1.0, 0.0, 0.0]]), [0.5], 3).tolist()
    [[0.0, 0.5, 0.5, 0.0]]
    """
    mu = np.asarray(mu, float)
    if np.isscalar(amount) and float(amount).is_integer():
        k = int(amount)
        if k == 0:
            return mu
        out = np.zeros((mu.shape[0], max(max_level + 1, mu.shape[1])))
        for level in range(1, mu.shape[1]):
            out[:, int(np.clip(level + k, 1, max_level))] += mu[:, level]
        return out[:, : max_level + 1]
    a = np.broadcast_to(np.asarray(amount, float), (mu.shape[0],)).reshape(-1, 1)
    shifted = shift_levels(mu, 1, max_level)
    base = np.zeros_like(shifted)
    base[:, : min(mu.shape[1], max_level + 1)] = mu[:, : max_level + 1]
    return (1.0 - a) * base + a * shifted
