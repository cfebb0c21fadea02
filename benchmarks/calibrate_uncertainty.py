"""Calibration of the uncertainty bands on synthetic lifts with known truth.

Run: python benchmarks/calibrate_uncertainty.py [--draws 200] [--seeds 8]

Truth = the assessment of the noise-free synthetic lift (`liftrisk.synthetic.synthetic_lift`,
3.4 s, 30 Hz, 10 kg, 30 deg asymmetry). Set-ups: (a) 3D points (markers / joint centres) with
Gaussian white noise of 5, 10 and 20 mm per axis, point and frame; (b) the lift rendered as
MediaPipe-like keypoints by 2 or 4 calibrated pinhole cameras at two heights
(tests/pipeline/_render.py), 1.5 px of pixel noise, then triangulated. Each set-up is run with
``--seeds`` noise realisations (the share of frames covered by one realisation swings by
+- 5-10 points because the errors of neighbouring frames are correlated; the mean over
realisations is the coverage). Seeds differ between the noise and the draws.

Two readings per set-up:

* ``measured``: the draws vary only what the set-up's error has: point positions (the noise
  measured from the data) and the grasp / release timing that follows from them. This is
  the calibration of the propagation: target 85-95 %.
* ``all``: the default draws, which also vary body mass, stature, segment parameters, hand
  load, cut-off, erector moment arm and the joint-centre method. The synthetic truth has
  none of these errors (it uses the nominal values), so these bands are wider by design.

For each quantity: the mean share of frames with the truth inside the 90 % band (5-95 %),
and its range over the seeds; LI: the share of seeds whose LI interval holds the true LI.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUANTITIES = (("l5s1_extension_moment_nm", "kinetics"), ("compression_n", "spine"), ("ap_shear_n", "spine"),
              ("r_shoulder_flexion_moment_nm", "kinetics"), ("l_knee_extension_moment_nm", "lower"),
              ("reba", "posture"), ("rula", "posture"))
#: The sources a synthetic set-up's error has (see the module docstring).
MEASURED = frozenset({"positions", "holds"})


def coverage(a, truth, u=None) -> dict:
    """Share of frames with the truth inside the 90 % band, per quantity (nan when not computed).

    `u`: the bands (default ``a.uncertainty``)."""
    u = a.uncertainty if u is None else u
    t_est = np.asarray(a.motion.time_s)
    out = {}
    for q, table in QUANTITIES:
        ref = getattr(truth, table)
        if ref is None or q not in ref or f"{q}_p05" not in u.bands:
            out[q] = float("nan")
            continue
        x = np.interp(t_est, truth.motion.time_s, ref[q].to_numpy(float))
        lo, hi = u.bands[f"{q}_p05"].to_numpy(), u.bands[f"{q}_p95"].to_numpy()
        ok = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(x)
        tol = 1e-9 if q not in ("reba", "rula") else 0.0
        out[q] = float(np.mean((x[ok] >= lo[ok] - tol) & (x[ok] <= hi[ok] + tol)))
    out["li_in_interval"] = float("nan")
    if len(u.lifts) and truth.lifts:
        r = u.lifts.iloc[0]
        out["li_in_interval"] = float(r["li_p05"] <= truth.lifts[0].li <= r["li_p95"])
    return out


def measured_bands(a, vary=MEASURED, body_model_draws: bool = False, linearised: bool = True):
    """The bands of `a` with only `vary` drawn (same settings, seed and hold detection); the
    draws move the assessment's body-model fit linearised at its solution (as the default
    bands do); `body_model_draws`: every draw refitted instead (brute force); `linearised`
    False: the draws' frame-by-frame joint centres (before 2026-12-06)."""
    from liftrisk.uncertainty import propagate

    return propagate(a.raw_points, a.subject, a.hand_load, a.settings, kind=a.input_kind, holds_s=a.holds_s,
                     lifts=[la.lift for la in a.lifts], vary=vary, detect_holds=not a.settings.lift_times_s,
                     body_model_draws=body_model_draws, body_fit=a.body_fit if linearised else None)


def setups(n_seeds: int):
    """(name, seed, factory) of every set-up and noise seed; factory(settings) -> Assessment."""
    from liftrisk.core.subject import Subject
    from liftrisk.pipeline import assess_keypoints, assess_motion
    from liftrisk.synthetic import synthetic_lift
    from tests.pipeline._render import as_mediapipe, look_at, render

    subj = Subject("male", 80.0, 1.78)
    kw = dict(origin_m=(0.45, 0.2), destination_m=(0.4, 1.0), asymmetry_deg=30.0, rate_hz=30.0, still_s=0.5)
    out = []
    for noise in (0.005, 0.01, 0.02):
        for seed in range(1, n_seeds + 1):
            def make(st, noise=noise, seed=seed):
                return assess_motion(synthetic_lift(subj, 10.0, noise_m=noise, seed=seed, **kw), subj, 10.0, st)
            out.append((f"3D points, {1000 * noise:.0f} mm noise", seed, make))
    clean = as_mediapipe(synthetic_lift(subj, 10.0, **kw))
    rigs = {"2 cameras, 1.0 m high": [((2.5, 2.5, 1.0), "c1"), ((2.5, -2.5, 1.0), "c2")],
            "2 cameras, 2.2 m high": [((2.5, 2.5, 2.2), "c1"), ((2.5, -2.5, 2.2), "c2")],
            "4 cameras, 1.0-2.2 m high": [((2.5, 2.5, 1.0), "c1"), ((2.5, -2.5, 2.2), "c2"),
                                          ((-1.5, 3.0, 1.6), "c3"), ((3.5, 0.0, 1.4), "c4")]}
    for name, rig in rigs.items():
        cams = [look_at(cn, c, (0.2, 0.0, 0.9)) for c, cn in rig]
        for seed in range(1, n_seeds + 1):
            def make(st, cams=cams, seed=seed):
                rng = np.random.default_rng(100 + seed)
                views = [replace(v, xy_px=v.xy_px + 1.5 * rng.standard_normal(v.xy_px.shape))
                         for v in (render(clean, c) for c in cams)]
                return assess_keypoints(views, subj, cams, 10.0, settings=st, sync=False)
            out.append((f"{name}, 1.5 px noise", seed, make))
    return subj, kw, out


def run(n_draws: int = 200, n_seeds: int = 8, readings=("measured", "all"), only: str = "") -> dict:
    """{(set-up, reading): {quantity: (mean, min, max)}}; readings: ``measured``, ``all``,
    ``measured+IK`` (measured, every draw refitted by the body model), ``measured-frame``
    (measured, the draws' frame-by-frame joint centres, not the fitted model); `only`: set-ups whose
    name starts with it."""
    from liftrisk.core.settings import AssessmentSettings
    from liftrisk.pipeline import assess_motion
    from liftrisk.synthetic import synthetic_lift

    subj, kw, cases = setups(n_seeds)
    st = AssessmentSettings(uncertainty_draws=n_draws, uncertainty_seed=11)
    truth = assess_motion(synthetic_lift(subj, 10.0, **kw), subj, 10.0, AssessmentSettings(uncertainty_draws=0))
    per: dict = {}
    for name, _seed, make in cases:
        if not name.startswith(only):
            continue
        a = make(st)
        for reading in readings:
            u = (a.uncertainty if reading == "all" else
                 measured_bands(a, body_model_draws=reading == "measured+IK",
                                linearised=reading != "measured-frame"))
            per.setdefault((name, reading), []).append(coverage(a, truth, u))
    out = {}
    for key, rows in per.items():
        out[key] = {}
        for k in rows[0]:
            v = np.array([r[k] for r in rows], float)
            out[key][k] = (float(np.nanmean(v)), float(np.nanmin(v)), float(np.nanmax(v))) if np.isfinite(
                v).any() else (float("nan"),) * 3
    return out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--draws", type=int, default=200)
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--readings", default="measured,all",
                   help="comma-separated: measured, all, measured+IK, measured-frame")
    p.add_argument("--only", default="", help="set-ups whose name starts with this")
    args = p.parse_args(argv)
    res = run(args.draws, args.seeds, args.readings.split(","), args.only)
    keys = [q for q, _ in QUANTITIES] + ["li_in_interval"]
    short = ["L5/S1 ext", "compression", "shear", "R shoulder", "L knee", "REBA", "RULA", "LI in int."]
    print(f"{args.seeds} noise seeds per set-up, {args.draws} draws; mean coverage % (min-max over seeds)")
    print("set-up".ljust(42) + "reading ".ljust(10) + " ".join(s.rjust(12) for s in short))
    for (name, reading), cov in res.items():
        cells = []
        for k in keys:
            m, lo, hi = cov[k]
            text = f"{100 * m:.0f}" if k == "li_in_interval" else f"{100 * m:.0f} ({100 * lo:.0f}-{100 * hi:.0f})"
            cells.append(("n/a" if not np.isfinite(m) else text).rjust(12))
        print(name.ljust(42) + reading.ljust(10) + " ".join(cells))


if __name__ == "__main__":
    main()
