"""The result of one assessment: `Assessment` (every time series and per-lift result) and
its headline figures (`summarise`, `uncertainty_summary`).

Built by `liftrisk.pipeline`; read by the report, the database, batch and the web app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from liftrisk.core.loads import HandLoad
from liftrisk.core.motion import Motion
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.kinematics.lift_events import hold_window_s
from liftrisk.kinetics.ground_reaction import (
    off_balance_frames,
)
from liftrisk.kinetics.inverse_dynamics import compare_l5s1
from liftrisk.kinetics.spine import compression_exposure
from liftrisk.kinetics.workload import peak_workload
from liftrisk.processing import peak
from liftrisk.risk.posture import posture_peaks
from liftrisk.uncertainty import propagate
from liftrisk.uncertainty.reliability import lift_verdicts, rank_lifts

__all__ = ["Assessment", "StageProgress", "summarise", "uncertainty_summary"]

#: progress callback of an assessment: ``progress(stage_name, done, total)``
StageProgress = Callable[[str, int, int], None]


@dataclass(frozen=True, eq=False)
class Assessment:
    """Everything an assessment produced (SI units; DataFrames indexed by ``time_s``).

    Attributes
    ----------
    subject : Subject
        The worker (kg, m, years).
    hand_load : HandLoad or None
        The load in the hands (kg or N).
    settings : AssessmentSettings
        The settings used.
    motion : Motion
        Canonical joint centres used (filtered, incl. l5s1 and hands; m, Z-up world).
    angles_rad : pandas.DataFrame
        Joint angles (rad).
    kinetics : pandas.DataFrame
        Top-down L5/S1 and arm joint loads (N, N·m).
    spine : pandas.DataFrame
        Compression / shear (N) and NIOSH limit flags.
    lower : pandas.DataFrame or None
        Bottom-up hip/knee/ankle loads (N, N·m) from the measured or estimated ground reaction.
    workload : pandas.DataFrame or None
        Per-joint workload ratios (dimensionless).
    posture : pandas.DataFrame
        Per-frame REBA (``reba``, ``reba_risk``), RULA (``rula``) and fuzzy REBA
        (``fuzzy_reba``) of the worse arm side (`liftrisk.risk.posture.posture_scores`).
    lifts : list of LiftAssessment
        `liftrisk.risk.lift_rating.LiftAssessment` of each lift (kg, m, deg).
    summary : dict
        Headline figures (`summarise`; units in the key names); the sentences are
        `liftrisk.report.findings`.
    warnings : list of str
        What the user must know about the figures.
    source : str
        The input file(s).
    keypoints : list
        The 2D keypoints of each view (video input).
    video_paths : list
        The videos (video input).
    raw_points : Motion or None
        Canonical points before gap filling and filtering (m), from which
        `Assessment.uncertainty` redraws.
    input_kind : str
        ``"canonical"``, ``"keypoints"`` or ``"markers"`` (`input_kind`).
    holds_s : list of (start_s, end_s) or None
        When the hands held the load (None: throughout).
    marker_residuals_m : pandas.DataFrame or None
        Mocap markers fitted by the body model's inverse kinematics
        (`liftrisk.assessment.stages.body_model_stage`): distance of each model marker to
        its measurement per frame (m, NaN where missing; index ``time_s``); None otherwise.
    body_fit : `liftrisk.bodymodel.LinearisedFit` or None
        The body model's fit (``settings.body_model``) linearised at its solution: the
        uncertainty draws move the fitted model with their points - the joint centres, or
        the raw mocap markers (its ``raw_targets``) when it was fitted to them (None without
        the body model).
    """

    subject: Subject
    hand_load: HandLoad | None
    settings: AssessmentSettings
    motion: Motion
    angles_rad: pd.DataFrame
    kinetics: pd.DataFrame
    spine: pd.DataFrame
    lower: pd.DataFrame | None
    workload: pd.DataFrame | None
    posture: pd.DataFrame
    lifts: list
    summary: dict
    warnings: list = field(default_factory=list)
    source: str = ""
    keypoints: list = field(default_factory=list)
    video_paths: list = field(default_factory=list)
    raw_points: Motion | None = None
    input_kind: str = "canonical"
    holds_s: list | None = None
    marker_residuals_m: pd.DataFrame | None = None
    body_fit: object | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def uncertainty(self):
        """Monte Carlo bands of this assessment (`liftrisk.uncertainty.propagate`, computed on
        first use and kept; None when ``settings.uncertainty_draws`` is 0 or the points before
        filtering are not known)."""
        if "uncertainty" not in self._cache:
            u = None
            if self.raw_points is not None and self.settings.uncertainty_draws > 0:
                u = propagate(self.raw_points, self.subject, self.hand_load, self.settings, kind=self.input_kind,
                              holds_s=self.holds_s, lifts=[la.lift for la in self.lifts], body_fit=self.body_fit,
                              detect_holds=not self.settings.lift_times_s
                              and self.summary.get("hand_load") != "object plate")
            self._cache["uncertainty"] = u
        return self._cache["uncertainty"]

    def reliability(self) -> list[dict]:
        """Verdict of each lift in plain words with its reasons
        (`liftrisk.uncertainty.reliability.lift_verdicts`; uses the bands when computed).

        Returns
        -------
        list of dict
            ``lift``, ``verdict``, ``reasons``, ``unreliable`` per lift (empty without points).
        """
        if self.raw_points is None or not self.lifts:
            return []
        windows, band, u = self._lift_windows(self.raw_points.time_s), self._compression_band(), self.uncertainty
        return lift_verdicts(windows, self.raw_points, off_balance=self.off_balance_frames(), kind=self.input_kind,
                             n_views=len(self.keypoints), min_confidence=self.settings.min_confidence,
                             reprojection_px=self.summary.get("median_reprojection_px"),
                             lift_intervals=None if u is None else u.lifts, compression_band=band,
                             action_limit_n=self.summary.get("action_limit_n", 3400.0))

    def reliability_table(self) -> pd.DataFrame:
        """One row per lift: LI and its 90 % interval, P(LI > 1), P(LI > 3), the verdict and
        its reasons (``; ``-joined).

        Returns
        -------
        pandas.DataFrame
        """
        u = self.uncertainty
        rows = []
        for k, (la, v) in enumerate(zip(self.lifts, self.reliability(), strict=True)):
            r = {"lift": la.index + 1, "li": la.li}
            if u is not None and k < len(u.lifts):
                r.update({c: float(u.lifts.iloc[k][c]) for c in ("li_p05", "li_p95", "p_li_gt_1", "p_li_gt_3")})
            r.update(reliability=v["verdict"], reasons="; ".join(v["reasons"]),
                     unreliable_figures="; ".join(v["unreliable"]))
            rows.append(r)
        return pd.DataFrame(rows)

    def lift_ranking(self) -> pd.DataFrame:
        """The lifts ranked by risk, worst first (`liftrisk.uncertainty.reliability.rank_lifts`):
        `reliability_table` with ``rank``, the peak compression between grasp and release and
        its 90 % band.

        Returns
        -------
        pandas.DataFrame (empty without lifts)
        """
        table = self.reliability_table()
        if table.empty:
            return table
        windows, band = self._lift_windows(self.motion.time_s), self._compression_band()
        return rank_lifts(table, windows, self.spine["compression_n"].to_numpy(float), band)

    def timeseries(self) -> pd.DataFrame:
        """One table of the main time series (angles in degrees, loads in N / N·m; with a load
        measured from the feet, ``load_kg``: the held mass per frame the scores used)."""
        ang = np.degrees(self.angles_rad).add_suffix("_deg")
        ang.columns = [c.replace("_deg_deg", "_deg") for c in ang.columns]
        parts = [ang, self.kinetics, self.spine.astype({c: float for c in self.spine.columns
                                                        if self.spine[c].dtype == bool})]
        if self.lower is not None:
            parts.append(self.lower[[c for c in self.lower.columns if not c.startswith("l5s1")]])
        if self.workload is not None:
            parts.append(self.workload)
        parts.append(self.posture[[c for c in ("reba", "fuzzy_reba", "rula", "load_kg") if c in self.posture]
                                  ].astype(float))
        df = pd.concat([p.reset_index(drop=True) for p in parts], axis=1)
        df.index = pd.Index(self.motion.time_s, name="time_s")
        return df

    def lifts_table(self) -> pd.DataFrame:
        """One row per lift (NIOSH and ACGIH results)."""
        return pd.DataFrame([la.row() for la in self.lifts])

    def mot_table(self) -> pd.DataFrame:
        """Joint angles (deg), L5/S1 loads (N, N·m), compression and shear (N), indexed by time."""
        ang = np.degrees(self.angles_rad).add_suffix("_deg")
        return pd.concat([ang, self.kinetics.filter(like="l5s1_"), self.spine[["compression_n", "ap_shear_n"]]],
                         axis=1)

    def _lift_windows(self, t: np.ndarray) -> list[tuple[int, int]]:
        """(grasp, release) frame indices of each lift in the time base `t` (s)."""
        return [(int(np.argmin(np.abs(t - g))), int(np.argmin(np.abs(t - r))))
                for g, r in (hold_window_s(la.lift) for la in self.lifts)]

    def _compression_band(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(5th, 95th) percentile of the disc compression per frame (N), or None without bands."""
        u = self.uncertainty
        if u is None or "compression_n_p05" not in u.bands:
            return None
        return u.bands["compression_n_p05"].to_numpy(), u.bands["compression_n_p95"].to_numpy()

    def off_balance_frames(self) -> np.ndarray:
        """(T,) frames whose centre of pressure left the feet (widened by the filter's
        transition; `liftrisk.kinetics.ground_reaction.off_balance_frames`)."""
        off = off_balance_frames(self.lower, self.motion.rate_hz)
        return np.zeros(self.motion.n_frames, bool) if off is None else off


def summarise(a: Assessment) -> dict:
    """Headline figures of an assessment (SI units; names carry their units).

    Peak L5/S1 compression and time above the NIOSH limits
    (`liftrisk.kinetics.spine.compression_exposure`), peak extension moment, worst REBA and
    fuzzy REBA (`liftrisk.risk.posture.posture_peaks`), lifts and the largest lifting index,
    and the most loaded joint (`liftrisk.kinetics.workload.peak_workload`, off-balance frames
    left out for the legs).

    Parameters
    ----------
    a : Assessment
        An assessment.

    Returns
    -------
    dict
        Headline figures; every name carries its unit (``peak_compression_n``, ``max_li``, ...).
    """
    t = a.motion.time_s
    exp = compression_exposure(a.spine["compression_n"].to_numpy(float), t)
    peak_m, t_m = peak(a.kinetics["l5s1_extension_moment_nm"].to_numpy(float), t)
    post = posture_peaks(a.posture, t)
    s = {"duration_s": float(t[-1] - t[0]), "n_frames": int(t.size), "rate_hz": float(a.motion.rate_hz),
         "box_kg": a.hand_load.box_mass_kg if a.hand_load else 0.0,
         **{k: exp[k] for k in ("peak_compression_n", "peak_compression_time_s", "time_above_action_limit_s",
                                "time_above_max_permissible_s")},
         "peak_l5s1_extension_moment_nm": peak_m, "peak_l5s1_moment_time_s": t_m, **post,
         "n_lifts": len(a.lifts), "max_li": max((la.li for la in a.lifts), default=float("nan")),
         "action_limit_n": exp["action_limit_n"], "maximum_permissible_n": exp["maximum_permissible_n"]}
    off = a.off_balance_frames()
    if off.size and off.mean() > 0.5:  # mostly off balance: no leg figure is reported
        off = np.ones_like(off)
    top = peak_workload(a.workload, off)
    if top is not None:
        s["peak_workload_joint"], s["peak_workload_ratio"] = top
    if a.lower is not None and a.summary.get("ground_reaction") == "force plates":
        s.update(compare_l5s1(a.kinetics, a.lower))
    return s


def uncertainty_summary(a: Assessment) -> dict:
    """The uncertainty of an assessment as plain JSON-able values (None for unknown numbers).

    Parameters
    ----------
    a : Assessment

    Returns
    -------
    dict
        ``n_draws``, ``detail_draws``, ``seed``; ``peaks``: quantity -> ``{"value", "p05",
        "p95"}`` (the peak and its 90 % interval, `liftrisk.uncertainty.Uncertainty.interval`);
        ``lifts``: rows of the lift intervals; ``ranking``: the lifts worst first with their
        intervals and reliability verdicts (`Assessment.lift_ranking`); ``position_noise_m``;
        ``correlated_noise_m``; ``notes``. Empty when there are no bands.
    """
    u = a.uncertainty
    if u is None:
        return {}

    def num(x):
        x = float(x)
        return x if np.isfinite(x) else None

    nominal = {"compression_n": a.summary.get("peak_compression_n"),
               "l5s1_extension_moment_nm": a.summary.get("peak_l5s1_extension_moment_nm")}
    peaks = {}
    for q in u.peaks.index:
        v = nominal.get(q)
        lo, hi = u.interval(q, v)
        peaks[q] = {"value": None if v is None else num(v), "p05": num(lo), "p95": num(hi)}
    lifts = [{k: (num(v) if isinstance(v, float | int | np.floating | np.integer) else v) for k, v in r.items()}
             for r in u.lifts.to_dict("records")]
    ranking = [{k: (num(v) if isinstance(v, float | int | np.floating | np.integer) else v) for k, v in r.items()}
               for r in a.lift_ranking().to_dict("records")]
    return {"n_draws": u.n_draws, "detail_draws": u.detail_draws, "seed": a.settings.uncertainty_seed,
            "peaks": peaks, "lifts": lifts, "ranking": ranking,
            "position_noise_m": {k: num(v) for k, v in u.noise_m.items()},
            "correlated_noise_m": {k: num(v) for k, v in u.correlated_noise_m.items()}, "notes": list(u.notes)}
