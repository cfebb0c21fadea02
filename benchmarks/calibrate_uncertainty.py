"""Calibration of the uncertainty bands on synthetic lifts with known truth.

Run: python benchmarks/calibrate_uncertainty.py [--draws 200] [--seeds 8] [--only markers] [--per-seed]

Set-ups (a) and (b): truth = the assessment of the noise-free synthetic lift (`liftrisk.synthetic.synthetic_lift`,
3.4 s, 30 Hz, 10 kg, 30 deg asymmetry). Set-ups: (a) 3D points (markers / joint centres) with
Gaussian white noise of 5, 10 and 20 mm per axis, point and frame; (b) the lift rendered as
MediaPipe-like keypoints by 2 or 4 calibrated pinhole cameras at two heights
(tests/pipeline/_render.py), 1.5 px of pixel noise, then triangulated; (c) mocap markers
assessed by the raw-marker route (inverse kinematics of the raw markers, the draws moving
the fit linearised at its solution): `marker_setups`. Each set-up is run with
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

Marker set-up (c): the known pose sequence is liftrisk's body model, scaled and registered on
the VU Amsterdam static trial, at the inverse-kinematics solution of its stoop lift
(stoop1_t169_f620f800.c3d, 50 Hz, 181 frames; ../shared/data or $LIFTRISK_SHARED_DATA, the
set-up is left out when absent); the true markers are the model's registered markers at that
pose (forward kinematics), so the model fits them exactly. Truth = the assessment of these
noise-free markers (15 kg box, static trial given). Noise per marker and axis: white
(independent per frame) plus slow soft-tissue-like noise (unit white noise low-passed at 2 Hz,
zero-lag 2nd-order Butterworth, rescaled to the stated SD); independent between markers
(a real soft-tissue artefact moves a segment's markers together: not modelled).

For each quantity: the mean share of frames with the truth inside the 90 % band (5-95 %),
and its range over the seeds; LI: the share of seeds whose LI interval holds the true LI;
lift found: the share of seeds whose assessment detected a lift (the truth's count is printed
on stderr: where they differ, the load in the hands differs for part of the recording).
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


def shared_data_dir() -> Path:
    """The real recordings (``$LIFTRISK_SHARED_DATA`` or ../shared/data next to the repository)."""
    import os

    env = os.environ.get("LIFTRISK_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


#: (white SD, slow SD) per axis, m: the marker set-ups' two noise levels.
MARKER_NOISE = ((0.001, 0.003), (0.002, 0.010))


def marker_noise(shape, white_m: float, slow_m: float, rate_hz: float, rng) -> np.ndarray:
    """(T, M, 3) marker noise: white of SD `white_m` plus slow noise of SD `slow_m` (white noise
    low-passed at 2 Hz, zero-lag, rescaled per marker and axis), m."""
    from liftrisk.processing import butter_lowpass

    slow = butter_lowpass(rng.standard_normal(shape), rate_hz, 2.0)
    slow *= slow_m / slow.std(axis=0, keepdims=True)
    return white_m * rng.standard_normal(shape) + slow


def marker_setups(n_seeds: int) -> tuple:
    """(truth factory, cases) of the marker set-ups (module docstring, (c)); ``((), [])`` without
    the recordings. truth(settings) -> Assessment of the noise-free markers."""
    from liftrisk.bodymodel.forward import KinematicTree
    from liftrisk.core.motion import Motion
    from liftrisk.core.settings import AssessmentSettings
    from liftrisk.core.subject import Subject
    from liftrisk.io import read_motion
    from liftrisk.pipeline import assess_motion

    d = shared_data_dir() / "vua_stoop_lifts" / "3D"
    if not (d / "stoop1_t169_f620f800.c3d").exists():
        print(f"marker set-ups left out: {d} not found", file=sys.stderr)
        return None, []
    subj = Subject("male", 81.7, 1.73)
    static, rec = read_motion(d / "neu_t169_f250f350.c3d"), read_motion(d / "stoop1_t169_f620f800.c3d")
    lin = assess_motion(rec, subj, 15.0, AssessmentSettings(uncertainty_draws=0), static=static).body_fit
    s = lin.solution
    true = KinematicTree(lin.model, {n: lin.points[n] for n in lin.names}).points(s.R0, s.o0, s.q)
    clean = Motion(np.asarray(rec.time_s), true, list(lin.names), rec.rate_hz)

    def truth(st):
        return assess_motion(clean, subj, 15.0, st, static=static)

    out = []
    for white, slow in MARKER_NOISE:
        for seed in range(1, n_seeds + 1):
            def make(st, white=white, slow=slow, seed=seed):
                e = marker_noise(true.shape, white, slow, rec.rate_hz, np.random.default_rng(200 + seed))
                return assess_motion(clean.replace(positions_m=true + e), subj, 15.0, st, static=static)
            out.append((f"markers, {1000 * white:.0f} mm white + {1000 * slow:.0f} mm slow", seed, make))
    return truth, out


def run(n_draws: int = 200, n_seeds: int = 8, readings=("measured", "all"), only: str = "",
        per_seed: bool = False) -> dict:
    """{(set-up, reading): {quantity: (mean, min, max)}}; readings: ``measured``, ``all``,
    ``measured+IK`` (measured, every draw refitted by the body model), ``measured-frame``
    (measured, the draws' frame-by-frame joint centres, not the fitted model); `only`: set-ups whose
    name starts with it; `per_seed`: one row per noise seed (set-up name ``... #seed``). Besides the
    quantities, ``lift_found``: the share of seeds whose assessment detected a lift."""
    from liftrisk.core.settings import AssessmentSettings
    from liftrisk.pipeline import assess_motion
    from liftrisk.synthetic import synthetic_lift

    subj, kw, cases = setups(n_seeds)
    st = AssessmentSettings(uncertainty_draws=n_draws, uncertainty_seed=11)
    off = AssessmentSettings(uncertainty_draws=0)
    lift_truth = assess_motion(synthetic_lift(subj, 10.0, **kw), subj, 10.0, off)
    marker_truth, marker_cases = marker_setups(n_seeds) if "markers".startswith(only[:7]) else (None, [])
    marker_truth = marker_truth(off) if marker_cases else None
    for label, t in (("synthetic lift", lift_truth), ("markers", marker_truth)):
        if t is not None:
            print(f"truth ({label}): {len(t.lifts)} lift(s) detected", file=sys.stderr)
    per: dict = {}
    for name, seed, make in cases + marker_cases:
        if not name.startswith(only):
            continue
        truth = marker_truth if name.startswith("markers") else lift_truth
        a = make(st)
        for reading in readings:
            u = (a.uncertainty if reading == "all" else
                 measured_bands(a, body_model_draws=reading == "measured+IK",
                                linearised=reading != "measured-frame"))
            row = coverage(a, truth, u) | {"lift_found": float(len(a.lifts) > 0)}
            per.setdefault((f"{name} #{seed}" if per_seed else name, reading), []).append(row)
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
    p.add_argument("--per-seed", action="store_true", help="one row per noise seed")
    args = p.parse_args(argv)
    res = run(args.draws, args.seeds, args.readings.split(","), args.only, args.per_seed)
    keys = [q for q, _ in QUANTITIES] + ["li_in_interval", "lift_found"]
    short = ["L5/S1 ext", "compression", "shear", "R shoulder", "L knee", "REBA", "RULA", "LI in int.", "lift found"]
    print(f"{args.seeds} noise seeds per set-up, {args.draws} draws; mean coverage % (min-max over seeds)")
    print("set-up".ljust(42) + "reading ".ljust(10) + " ".join(s.rjust(12) for s in short))
    for (name, reading), cov in res.items():
        cells = []
        for k in keys:
            m, lo, hi = cov[k]
            text = (f"{100 * m:.0f}" if k in ("li_in_interval", "lift_found")
                    else f"{100 * m:.0f} ({100 * lo:.0f}-{100 * hi:.0f})")
            cells.append(("n/a" if not np.isfinite(m) else text).rjust(12))
        print(name.ljust(42) + reading.ljust(10) + " ".join(cells))


if __name__ == "__main__":
    main()
