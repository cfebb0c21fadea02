"""Fuzzy REBA: a continuous REBA score that does not jump when an angle crosses a band edge.

Method of Int J Intell Syst 2023, sec. 3.2 (after Hignett & McAtamney 2000):

1. Joint angles are fuzzified with trapezoidal membership functions, one per REBA band;
   adjacent functions cross at membership 0.5 on the band edge (transition half-width
   ``transition_deg``, capped at half of each adjacent band).
2. Body-part scores are fuzzy sets over the integer REBA levels; the REBA adjustments
   shift them (+1 twist/side-bend, abduction, wrist deviation, shoulder raised; -1 arm
   supported). Angle-based adjustments are fuzzified the same way (membership of
   "twisted" = trapezoid around the threshold), so the whole chain is continuous; this
   extends the paper, which does not say how it treats the adjustments.
3. Rule bases = REBA Tables A (60 rules), B (36) and C (144): "IF trunk is t AND neck is n
   AND legs is l THEN score A is TableA[t, n, l]" (Mamdani: AND = min, implication = min,
   aggregation = max); outputs are triangular sets centred on each integer score with feet
   at +-1.
4. Centroid defuzzification (piecewise-linear area centroid on a uniform universe, the
   formula of `skfuzzy.defuzz(..., 'centroid')`), then load (score A) and coupling
   (score B) are added, the intermediate scores are fuzzified with triangular sets on the
   integers for Table C, defuzzified again, and the activity score is added.

`fuzzy_reba` is the vectorised NumPy implementation (frames in chunks);
`fuzzy_reba_reference` is a per-frame implementation with scikit-fuzzy's membership and
defuzzification functions, used in tests and benchmarks to check the fast one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from liftrisk.errors import DataQualityError
from liftrisk.risk.bands import Bands, shift_levels
from liftrisk.risk.reba import (
    REBA_REQUIRED,
    RebaSettings,
    _flag,
    activity_score,  # noqa: F401  (re-exported for convenience)
    angle_table,
    coupling_score,
    load_score,
    reba,
)
from liftrisk.risk.tables import reba_table_a, reba_table_b, reba_table_c

#: Body-part / adjustment names whose transition width or breakpoints can be set.
FUZZY_PARTS = ("trunk", "neck", "knee", "upper_arm", "lower_arm", "wrist", "twist", "side_bend", "abduction",
               "wrist_deviation")


@dataclass(frozen=True)
class FuzzySettings:
    """Fuzzy REBA settings: where each membership transition sits and how wide it is.

    The paper (Int J Intell Syst 2023, sec. 3.2, Fig. 4) gives its membership breakpoints only
    in a figure, and no transition width; liftrisk centres every transition on the crisp REBA
    band edge (Hignett & McAtamney 2000, with the observer tolerances of `RebaSettings`), where
    the two neighbouring memberships are 0.5 as the paper says, and makes both the width and
    every breakpoint a setting. `docs/risk.md` has the sensitivity table (Spearman rank
    correlation with crisp REBA and score changes for widths 2, 5 and 10 deg).

    Attributes
    ----------
    transition_deg : float
        Half-width of every trapezoid transition in degrees (default 5, liftrisk's choice;
        capped at half of each adjacent band).
    transition_by_part_deg : tuple of (part, deg) pairs
        Per-part half-widths overriding ``transition_deg`` (parts: `FUZZY_PARTS`), e.g.
        ``(("trunk", 2.0),)``.
    breakpoints_deg : tuple of (part, edges) pairs
        Per-part band edges (deg) replacing REBA's (same number of edges, increasing), e.g.
        ``(("upper_arm", (-20.0, 20.0, 45.0, 90.0)),)``; threshold adjustments (twist,
        side_bend, abduction, wrist_deviation) take one edge.
    universe_step : float
        Sampling step of the output universe 0-13 (default 0.05 score units).
    chunk_frames : int
        Frames processed at once by the vectorised version (memory bound).
    """

    transition_deg: float = 5.0
    transition_by_part_deg: tuple = ()
    breakpoints_deg: tuple = ()
    universe_step: float = 0.05
    chunk_frames: int = 2048

    def __post_init__(self) -> None:
        for name, pairs in (("transition_by_part_deg", self.transition_by_part_deg),
                            ("breakpoints_deg", self.breakpoints_deg)):
            for part, _ in pairs:
                if part not in FUZZY_PARTS:
                    raise DataQualityError(f"FuzzySettings.{name} names {part!r}; expected one of {FUZZY_PARTS}")
        if not self.transition_deg > 0 or any(not float(w) > 0 for _, w in self.transition_by_part_deg):
            raise DataQualityError("fuzzy transition widths must be > 0 deg (a crisp REBA is `liftrisk.risk.reba`)")

    def universe(self) -> np.ndarray:
        """Output universe of the score sets, 0 to 13 inclusive."""
        n = int(round(13.0 / self.universe_step))
        return np.linspace(0.0, 13.0, n + 1)

    def width(self, part: str) -> float:
        """Transition half-width (deg) of one body part."""
        return float(dict(self.transition_by_part_deg).get(part, self.transition_deg))

    def bands(self, settings: RebaSettings) -> dict:
        """REBA bands of `settings` with the breakpoint overrides applied."""
        b = dict(settings.bands())
        for part, edges in self.breakpoints_deg:
            old = b[part]
            edges = tuple(float(e) for e in np.atleast_1d(edges))
            if len(edges) != len(old.edges):
                raise DataQualityError(f"breakpoints_deg[{part!r}] has {len(edges)} edges; REBA's {old.name} has "
                                       f"{len(old.edges)} ({old.edges})")
            b[part] = Bands(edges, old.scores, old.name)
        return b


def _triangles(x: np.ndarray, n_levels: int) -> np.ndarray:
    """(L+1, X) triangular sets centred on 0..L with feet at +-1 (row 0 unused)."""
    k = np.arange(n_levels + 1, dtype=float).reshape(-1, 1)
    tri = np.clip(1.0 - np.abs(x.reshape(1, -1) - k), 0.0, 1.0)
    tri[0] = 0.0
    return tri


def centroid(x: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Centroid of piecewise-linear membership functions sampled on ``x``, row-wise.

    Same formula as `skfuzzy.defuzzify.centroid` (exact area/moment of each linear piece).

    Parameters
    ----------
    x : numpy.ndarray
        (K,) sample points of the output universe (score).
    mu : numpy.ndarray
        (T, K) memberships at those points (dimensionless).

    Returns
    -------
    numpy.ndarray
        (T,) centroids (score units; 0 where all memberships are 0).

    Examples
    --------
    >>> x = np.linspace(0, 4, 41)
    >>> float(np.round(centroid(x, np.clip(1 - np.abs(x - 2), 0, 1)[None, :])[0], 12))
    2.0
    """
    mu = np.atleast_2d(mu)
    # area and moment are linear in the samples: sum over pieces [x1, x2] of dx / 2 (y1 + y2) and
    # dx / 6 (y1 (2 x1 + x2) + y2 (x1 + 2 x2)), i.e. fixed weights per sample (two weighted sums
    # instead of a (T, K) array per term)
    dx = np.diff(x)
    x1, x2 = x[:-1], x[1:]
    w_area = np.zeros(x.size)
    w_area[:-1] += 0.5 * dx
    w_area[1:] += 0.5 * dx
    w_moment = np.zeros(x.size)
    w_moment[:-1] += dx / 6.0 * (2.0 * x1 + x2)
    w_moment[1:] += dx / 6.0 * (x1 + 2.0 * x2)
    a = np.einsum("tk,k->t", mu, w_area)   # einsum's own loop: no BLAS threads for a matrix-vector product
    return np.einsum("tk,k->t", mu, w_moment) / np.fmax(a, np.finfo(float).eps)


def _rule_strengths(mus: list[np.ndarray], table: np.ndarray, n_out: int) -> np.ndarray:
    """Firing strength of each output level: max over table cells of min of antecedents."""
    f = mus[0].shape[0]
    grids = np.ix_(*[np.arange(1, m.shape[1]) for m in mus])
    vals = table[grids].reshape(-1)
    strength = None
    for axis, m in enumerate(mus):
        shape = [f] + [1] * len(mus)
        shape[axis + 1] = m.shape[1] - 1
        term = m[:, 1:].reshape(shape)
        strength = term if strength is None else np.minimum(strength, term)
    strength = np.broadcast_to(strength, (f,) + tuple(m.shape[1] - 1 for m in mus)).reshape(f, -1)
    out = np.zeros((f, n_out + 1))
    for level in np.unique(vals):
        out[:, level] = strength[:, vals == level].max(axis=1)
    return out


def _defuzz_levels(strength: np.ndarray, tri: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Centroid of the max-min aggregation of the level triangles. A triangle (feet +-1 about
    its integer level) is zero outside (k - 1, k + 1), so at x only levels floor(x) and
    floor(x) + 1 can contribute: the same maximum over 2 levels instead of all of them."""
    n = strength.shape[1]
    cols = np.arange(x.size)
    k0 = np.clip(np.floor(x).astype(int), 0, n - 1)
    k1 = np.minimum(k0 + 1, n - 1)
    agg = np.maximum(np.minimum(strength[:, k0], tri[k0, cols]), np.minimum(strength[:, k1], tri[k1, cols]))
    return centroid(x, agg)


def _int_memberships(value: np.ndarray, n_levels: int) -> np.ndarray:
    """Triangular memberships of a continuous score in the integer levels 1..n (clipped)."""
    v = np.clip(np.asarray(value, float), 1.0, float(n_levels)).reshape(-1, 1)
    k = np.arange(n_levels + 1, dtype=float).reshape(1, -1)
    mu = np.clip(1.0 - np.abs(v - k), 0.0, 1.0)
    mu[:, 0] = 0.0
    return mu


def _body_part_memberships(df: pd.DataFrame, settings: RebaSettings, fuzzy: FuzzySettings, flags: dict) -> dict:
    bands = fuzzy.bands(settings)
    n = len(df)

    def mem(kind, values):  # memberships with the part's own transition width
        return bands[kind].memberships(values, fuzzy.width(kind))

    def present(kind, col):
        return mem(kind, df[col].to_numpy())[:, 1]

    a_tr = np.maximum(present("twist", "trunk_twist_deg"), present("side_bend", "trunk_side_bend_deg"))
    trunk = shift_levels(mem("trunk", df["trunk_flexion_deg"].to_numpy()), a_tr, 5)
    a_nk = np.maximum(present("twist", "neck_twist_deg"), present("side_bend", "neck_side_bend_deg"))
    neck = shift_levels(mem("neck", df["neck_flexion_deg"].to_numpy()), a_nk, 3)
    knee = mem("knee", df["knee_flexion_deg"].to_numpy())       # levels 0..2 (+0/+1/+2)
    base = np.where(flags["bilateral_support"], 1, 2)
    legs = np.zeros((n, 5))
    rows = np.arange(n)
    for k in range(3):
        np.add.at(legs, (rows, np.minimum(base + k, 4)), knee[:, k])
    ua = mem("upper_arm", df["upper_arm_flexion_deg"].to_numpy())
    ua = shift_levels(ua, present("abduction", "upper_arm_abduction_deg"), 6)
    ua = shift_levels(ua, flags["shoulder_raised"].astype(float), 6)
    ua = np.where(flags["arm_supported"][:, None], shift_levels(ua, -1, 6), ua)
    la = mem("lower_arm", df["elbow_flexion_deg"].to_numpy())
    a_wr = np.maximum(present("wrist_deviation", "wrist_deviation_deg"), flags["wrist_twisted"].astype(float))
    wr = shift_levels(mem("wrist", df["wrist_flexion_deg"].to_numpy()), a_wr, 3)
    return {"trunk": trunk, "neck": neck, "legs": legs, "upper_arm": ua, "lower_arm": la, "wrist": wr}


def _prepare(angles_deg, n_kw: dict):
    df = angle_table(angles_deg)
    n = len(df)
    flags = {k: _flag(v, n, k) for k, v in n_kw.items()}
    valid = np.isfinite(df[list(REBA_REQUIRED)].to_numpy()).all(axis=1)
    return df.fillna(0.0), flags, valid


def fuzzy_reba(angles_deg, *, load_kg: float = 0.0, shock: bool = False, coupling: str | int = "good",
               activity: int = 0, settings: RebaSettings = RebaSettings(), fuzzy: FuzzySettings = FuzzySettings(),
               bilateral_support=True, shoulder_raised=False, arm_supported=False, wrist_twisted=False
               ) -> pd.DataFrame:
    """Fuzzy REBA score of every frame (vectorised NumPy).

    Parameters are those of `liftrisk.risk.reba.reba` plus ``fuzzy`` (`FuzzySettings`).

    Parameters
    ----------
    angles_deg : DataFrame or mapping
        Joint angles (deg), columns `REBA_ANGLE_COLUMNS` of `liftrisk.risk.reba`.
    load_kg : float
        Load handled (kg; 0 = no load score).
    shock : bool
        Shock or rapid build-up of force (+1 load score).
    coupling : {"good", "fair", "poor", "unacceptable"} or 0-3
        Hand coupling.
    activity : int
        REBA activity score 0-3.
    settings : RebaSettings
        Angle thresholds of the body-part scores.
    fuzzy : FuzzySettings
        Half-width of the fuzzy band edges (deg) and the output grid.
    bilateral_support, shoulder_raised, arm_supported, wrist_twisted : bool or array_like
        REBA adjustments (see `liftrisk.risk.reba.body_part_scores`).

    Returns
    -------
    DataFrame (same index) with fuzzy_a (Table A + load), fuzzy_b (Table B + coupling),
    fuzzy_c (Table C) and fuzzy_reba (final, + activity), all continuous; NaN for frames
    with a missing required angle.

    Examples
    --------
    >>> a = {"trunk_flexion_deg": [70.0, 60.0], "neck_flexion_deg": [10.0, 10.0],
    ...      "upper_arm_flexion_deg": [70.0, 70.0], "elbow_flexion_deg": [80.0, 80.0]}
    >>> fuzzy_reba(a)["fuzzy_reba"].round(3).tolist()   # 70 deg: as crisp REBA (3); 60 deg: edge 3|4
    [3.0, 2.5]
    """
    df, flags, valid = _prepare(angles_deg, dict(bilateral_support=bilateral_support,
                                                 shoulder_raised=shoulder_raised, arm_supported=arm_supported,
                                                 wrist_twisted=wrist_twisted))
    ls, cs, act = load_score(load_kg, shock), coupling_score(coupling), int(activity)
    x = fuzzy.universe()
    tri = _triangles(x, 12)
    ta, tb, tc = reba_table_a(), reba_table_b(), reba_table_c()
    n = len(df)
    res = np.full((n, 4), np.nan)
    step = max(1, int(fuzzy.chunk_frames))
    for s in range(0, n, step):
        sl = slice(s, min(n, s + step))
        sub = df.iloc[sl]
        fl = {k: v[sl] for k, v in flags.items()}
        m = _body_part_memberships(sub, settings, fuzzy, fl)
        sa = _defuzz_levels(_rule_strengths([m["trunk"], m["neck"], m["legs"]], ta, 12), tri, x) + ls
        sb = _defuzz_levels(_rule_strengths([m["upper_arm"], m["lower_arm"], m["wrist"]], tb, 12), tri, x) + cs
        sc = _defuzz_levels(_rule_strengths([_int_memberships(sa, 12), _int_memberships(sb, 12)], tc, 12), tri, x)
        res[sl] = np.column_stack([sa, sb, sc, sc + act])
    res[~valid] = np.nan
    return pd.DataFrame(res, index=df.index, columns=["fuzzy_a", "fuzzy_b", "fuzzy_c", "fuzzy_reba"])


def fuzzy_reba_reference(angles_deg, *, load_kg: float = 0.0, shock: bool = False, coupling: str | int = "good",
                         activity: int = 0, settings: RebaSettings = RebaSettings(),
                         fuzzy: FuzzySettings = FuzzySettings(), bilateral_support=True, shoulder_raised=False,
                         arm_supported=False, wrist_twisted=False) -> pd.DataFrame:
    """Per-frame fuzzy REBA with scikit-fuzzy primitives (reference for tests; slow).

    Angle memberships come from `skfuzzy.trapmf` on each band's trapezoid, rule bases are
    evaluated cell by cell in Python, output sets are `skfuzzy.trimf` and the crisp value
    is `skfuzzy.defuzz(..., 'centroid')`. Same inputs and outputs as `fuzzy_reba`.

    Parameters
    ----------
    angles_deg : DataFrame or mapping
        Joint angles (deg), columns `REBA_ANGLE_COLUMNS` of `liftrisk.risk.reba`.
    load_kg : float
        Load handled (kg; 0 = no load score).
    shock : bool
        Shock or rapid build-up of force (+1 load score).
    coupling : {"good", "fair", "poor", "unacceptable"} or 0-3
        Hand coupling.
    activity : int
        REBA activity score 0-3.
    settings : RebaSettings
        Angle thresholds of the body-part scores.
    fuzzy : FuzzySettings
        Half-width of the fuzzy band edges (deg) and the output grid.
    bilateral_support, shoulder_raised, arm_supported, wrist_twisted : bool or array_like
        REBA adjustments (see `liftrisk.risk.reba.body_part_scores`).

    Returns
    -------
    pandas.DataFrame
        The columns of `fuzzy_reba` (scores, continuous).

    Examples
    --------
    >>> a = {"trunk_flexion_deg": [60.0], "neck_flexion_deg": [10.0],
    ...      "upper_arm_flexion_deg": [70.0], "elbow_flexion_deg": [80.0]}
    >>> round(float(fuzzy_reba_reference(a)["fuzzy_reba"].iloc[0]), 3)
    2.5
    """
    import skfuzzy as fuzz

    df, flags, valid = _prepare(angles_deg, dict(bilateral_support=bilateral_support,
                                                 shoulder_raised=shoulder_raised, arm_supported=arm_supported,
                                                 wrist_twisted=wrist_twisted))
    ls, cs, act = load_score(load_kg, shock), coupling_score(coupling), int(activity)
    x = fuzzy.universe()
    bands = fuzzy.bands(settings)
    out_sets = {k: fuzz.trimf(x, [k - 1.0, float(k), k + 1.0]) for k in range(1, 13)}
    ta, tb, tc = reba_table_a(), reba_table_b(), reba_table_c()

    def levels(kind, angle):
        mu = {}
        for score, abcd in bands[kind].trapezoids(fuzzy.width(kind)):
            val = float(fuzz.trapmf(np.array([angle]), abcd)[0])
            mu[score] = max(mu.get(score, 0.0), val)
        return mu

    def shifted(mu, a, top, k=1):
        out = {}
        for level, v in mu.items():
            out[level] = out.get(level, 0.0) + (1.0 - a) * v
            t = min(max(level + k, 1), top)
            out[t] = out.get(t, 0.0) + a * v
        return out

    def infer(antecedents, table):
        agg = np.zeros_like(x)
        for idx in np.ndindex(*[max(m) for m in antecedents]):
            cell = tuple(i + 1 for i in idx)
            strength = min(m.get(c, 0.0) for m, c in zip(antecedents, cell, strict=True))
            if strength > 0:
                agg = np.fmax(agg, np.fmin(strength, out_sets[int(table[cell])]))
        return float(fuzz.defuzz(x, agg, "centroid"))

    def int_levels(v, top):
        v = min(max(v, 1.0), float(top))
        return {k: float(fuzz.trimf(np.array([v]), [k - 1.0, float(k), k + 1.0])[0]) for k in range(1, top + 1)}

    rows = []
    for i in range(len(df)):
        r = df.iloc[i]

        def present(kind, col, r=r):
            return levels(kind, float(r[col])).get(1, 0.0)

        trunk = shifted(levels("trunk", r["trunk_flexion_deg"]),
                        max(present("twist", "trunk_twist_deg"), present("side_bend", "trunk_side_bend_deg")), 5)
        neck = shifted(levels("neck", r["neck_flexion_deg"]),
                       max(present("twist", "neck_twist_deg"), present("side_bend", "neck_side_bend_deg")), 3)
        base = 1 if flags["bilateral_support"][i] else 2
        legs = {}
        for k, v in levels("knee", r["knee_flexion_deg"]).items():
            legs[min(base + k, 4)] = legs.get(min(base + k, 4), 0.0) + v
        ua = shifted(levels("upper_arm", r["upper_arm_flexion_deg"]),
                     present("abduction", "upper_arm_abduction_deg"), 6)
        ua = shifted(ua, float(flags["shoulder_raised"][i]), 6)
        if flags["arm_supported"][i]:
            ua = shifted(ua, 1.0, 6, k=-1)
        la = levels("lower_arm", r["elbow_flexion_deg"])
        wr = shifted(levels("wrist", r["wrist_flexion_deg"]),
                     max(present("wrist_deviation", "wrist_deviation_deg"), float(flags["wrist_twisted"][i])), 3)
        for m in (trunk, neck, legs, ua, la, wr):
            m.pop(0, None)
        sa = infer([_pad(trunk, 5), _pad(neck, 3), _pad(legs, 4)], ta) + ls
        sb = infer([_pad(ua, 6), _pad(la, 2), _pad(wr, 3)], tb) + cs
        sc = infer([int_levels(sa, 12), int_levels(sb, 12)], tc)
        rows.append((sa, sb, sc, sc + act))
    res = np.array(rows, float).reshape(-1, 4)
    res[~valid] = np.nan
    return pd.DataFrame(res, index=df.index, columns=["fuzzy_a", "fuzzy_b", "fuzzy_c", "fuzzy_reba"])


def _pad(mu: dict, top: int) -> dict:
    """Membership dict with every level 1..top present (so np.ndindex covers the table)."""
    return {k: mu.get(k, 0.0) for k in range(1, top + 1)}


def fuzzy_sensitivity(angles_deg, widths_deg=(2.0, 5.0, 10.0), *, reference_width_deg: float = 5.0,
                      settings: RebaSettings = RebaSettings(), **task) -> pd.DataFrame:
    """How much fuzzy REBA depends on its transition width, against crisp REBA.

    Parameters
    ----------
    angles_deg : DataFrame or mapping
        Joint angles (deg), columns of `liftrisk.risk.reba.REBA_ANGLE_COLUMNS`.
    widths_deg : sequence of float
        Transition half-widths to try (deg).
    reference_width_deg : float
        Width the score changes are measured from (default 5, liftrisk's default).
    settings : RebaSettings
        Band edges shared by crisp and fuzzy REBA.
    **task
        ``load_kg``, ``coupling``, ``activity``... passed to both REBA versions.

    Returns
    -------
    pandas.DataFrame
        One row per width: ``spearman_vs_crisp`` (rank correlation over valid frames; the paper
        reports 0.817 on its six postures), ``mean_abs_diff_vs_crisp``, ``max_abs_diff_vs_crisp``,
        ``frac_frames_diff_gt_0_5`` (fuzzy and crisp more than half a point apart),
        ``mean_abs_change_vs_reference``, ``max_abs_change_vs_reference`` (score units).

    Examples
    --------
    >>> ang = {"trunk_flexion_deg": np.linspace(0, 70, 50), "neck_flexion_deg": np.full(50, 10.0),
    ...        "upper_arm_flexion_deg": np.linspace(10, 100, 50), "elbow_flexion_deg": np.full(50, 80.0)}
    >>> t = fuzzy_sensitivity(ang, (2.0, 10.0))
    >>> bool(t.loc[10.0, "mean_abs_diff_vs_crisp"] > t.loc[2.0, "mean_abs_diff_vs_crisp"])
    True
    """
    crisp = reba(angles_deg, settings=settings, **task)["reba"].to_numpy(float)
    ref = fuzzy_reba(angles_deg, settings=settings, fuzzy=FuzzySettings(transition_deg=reference_width_deg),
                     **task)["fuzzy_reba"].to_numpy(float)
    rows = {}
    for w in widths_deg:
        fz = fuzzy_reba(angles_deg, settings=settings, fuzzy=FuzzySettings(transition_deg=float(w)),
                        **task)["fuzzy_reba"].to_numpy(float)
        ok = np.isfinite(fz) & (crisp > 0)
        d = np.abs(fz[ok] - crisp[ok])
        ch = np.abs(fz[ok] - ref[ok])
        rho = spearmanr(crisp[ok], fz[ok]).statistic if ok.sum() > 2 and np.ptp(crisp[ok]) > 0 else np.nan
        rows[float(w)] = {"spearman_vs_crisp": float(rho), "mean_abs_diff_vs_crisp": float(d.mean()),
                          "max_abs_diff_vs_crisp": float(d.max()), "frac_frames_diff_gt_0_5": float(np.mean(d > 0.5)),
                          "mean_abs_change_vs_reference": float(ch.mean()),
                          "max_abs_change_vs_reference": float(ch.max())}
    return pd.DataFrame(rows).T.rename_axis("transition_deg")
