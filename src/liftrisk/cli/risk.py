"""CLI commands of the risk area: `liftrisk posture` and `liftrisk niosh`."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import typer

from liftrisk.core.limits import check
from liftrisk.errors import DataQualityError, InputFileError, LiftriskError
from liftrisk.io import read_motion
from liftrisk.kinematics.joint_centres import canonical_joint_centres, joint_centres_from_markers
from liftrisk.kinematics.lift_events import detect_lifts
from liftrisk.risk.acgih import assess_lift, body_landmarks
from liftrisk.risk.fuzzy_reba import FuzzySettings
from liftrisk.risk.niosh import NioshLimitWarning, li_category, rwl
from liftrisk.risk.posture import posture_angles, posture_scores
from liftrisk.risk.reba import summarise_scores
from liftrisk.risk.rula import RULA_ACTION_LEVELS


def _canonical_motion(path: Path, static: Path | None = None):
    """Canonical joint centres of a file: keypoint skeletons first, then marker sets."""
    motion = read_motion(path)
    try:
        return canonical_joint_centres(motion)
    except LiftriskError as keypoint_error:
        try:
            st = read_motion(static) if static is not None else None
            return joint_centres_from_markers(motion, static=st)
        except LiftriskError:
            raise keypoint_error from None


def _parse_times(text: str | None) -> list[tuple[float, float]] | None:
    if not text:
        return None
    out = []
    for part in text.split(","):
        try:
            a, b = (float(x) for x in part.strip().split("-"))
        except ValueError:
            raise DataQualityError(f"--times {text!r}: expected 'grasp-release' pairs in s separated by commas, "
                                   "e.g. '1.2-2.0,5.1-6.3'") from None
        out.append((a, b))
    return out


def _write_csv(df: pd.DataFrame, out: Path, overwrite: bool) -> None:
    if out.exists() and not overwrite:
        raise InputFileError(out, "file exists", fix="choose another -o path or pass --overwrite")
    df.to_csv(out, float_format="%.6g")


def posture(
    file: Path = typer.Argument(..., help="Motion file (.trc, .c3d, keypoint .csv/.json), metres after reading"),
    output: Path = typer.Option(Path("posture.csv"), "-o", "--output", help="CSV of per-frame scores"),
    load_kg: float = typer.Option(0.0, help="Load handled, kg (REBA load score, RULA force score)"),
    coupling: str = typer.Option("good", help="REBA coupling: good, fair, poor, unacceptable"),
    activity: int = typer.Option(0, help="REBA activity score 0-3"),
    transition_deg: float = typer.Option(5.0, help="Fuzzy REBA transition half-width, degrees"),
    static: Path = typer.Option(None, help="Static marker trial (marker files whose walking trial lacks "
                                "medial markers)"),
    overwrite: bool = typer.Option(False, help="Replace an existing output file"),
) -> None:
    """REBA, RULA and fuzzy REBA per frame to CSV, and a summary of the task."""
    from scipy.stats import spearmanr

    load_kg = check("load_kg", load_kg, where="--load-kg")
    motion = _canonical_motion(file, static)
    angles = posture_angles(motion)
    scores = posture_scores(angles, load_kg=load_kg, coupling=coupling, activity=activity,
                            fuzzy=FuzzySettings(transition_deg=transition_deg))
    _write_csv(scores, output, overwrite)
    t = motion.time_s
    rb = summarise_scores(scores, t, score_column="reba")
    ru = summarise_scores(scores["rula"].to_numpy(), t, levels=tuple((lo, f"action level {al}")
                                                            for lo, al in RULA_ACTION_LEVELS))
    fz = summarise_scores(scores["fuzzy_reba"].to_numpy(), t)
    ok = (scores["reba"] > 0).to_numpy() & np.isfinite(scores["fuzzy_reba"].to_numpy())
    rho = float(spearmanr(scores["reba"][ok], scores["fuzzy_reba"][ok]).statistic) if ok.sum() > 2 else float("nan")
    typer.echo(f"{file}: {motion.n_frames} frames, {motion.duration_s:.2f} s -> {output}")
    not_measured = sorted(set(angles["l"].attrs.get("not_measured", [])))
    if not_measured:
        typer.echo(f"not measurable from this motion (taken as neutral): {', '.join(not_measured)}")
    for name, s in (("REBA", rb), ("RULA", ru), ("fuzzy REBA", fz)):
        levels = ", ".join(f"{k} {v:.1f} s" for k, v in s["time_s_at_level"].items() if v > 0)
        typer.echo(f"{name}: mean {s['mean']:.2f}, median {s['median']:.2f}, max {s['max']:.2f}; {levels}")
    typer.echo(f"Spearman fuzzy REBA vs REBA: {rho:.3f} ({int(ok.sum())} frames)")


def niosh(
    file: Path = typer.Argument(..., help="Motion file (.trc, .c3d, keypoint .csv/.json)"),
    load_kg: float = typer.Option(..., help="Weight of the object lifted, kg"),
    lifts_per_min: float = typer.Option(..., help="Lifting frequency, lifts/min"),
    hours: float = typer.Option(..., help="Work duration, h (Table 5 class: <=1, 1-2, 2-8)"),
    coupling: str = typer.Option("fair", help="Coupling: good, fair, poor"),
    times: str = typer.Option(None, help="Given grasp-release times in s, e.g. '1.2-2.0,5.1-6.3'"),
    floor_z_m: float = typer.Option(0.0, help="Floor height in the world frame, m"),
    static: Path = typer.Option(None, help="Static marker trial for marker files"),
    output: Path = typer.Option(None, "-o", "--output", help="Optional CSV of the lifts"),
    overwrite: bool = typer.Option(False, help="Replace an existing output file"),
) -> None:
    """Detect lifts and print NIOSH RWL/LI (origin and destination) and the ACGIH zone of each."""
    load_kg = check("load_kg", load_kg, where="--load-kg")
    lifts_per_min = check("lifts_per_min", lifts_per_min, where="--lifts-per-min")
    hours = check("duration_h", hours, where="--hours")
    motion = _canonical_motion(file, static)
    lifts = detect_lifts(motion, times_s=_parse_times(times), floor_z_m=floor_z_m)
    if not lifts:
        raise DataQualityError(f"{file}: no lift found (hands never dwell at two places with >= 0.10 m "
                               "vertical travel). Fix: give --times 'grasp-release' in s")
    try:
        landmarks = body_landmarks(motion, floor_z_m)
    except DataQualityError:
        landmarks = None
    rows = []
    for i, lift in enumerate(lifts, start=1):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NioshLimitWarning)
            o, d = lift.origin, lift.destination
            ro = rwl(o.h_m, o.v_m, lift.d_m, o.a_deg, lifts_per_min, hours, coupling, load_kg)
            rd = rwl(d.h_m, d.v_m, lift.d_m, d.a_deg, lifts_per_min, hours, coupling, load_kg, v_origin_m=o.v_m)
        acg = assess_lift(o.v_m, o.h_m, landmarks, load_kg) if landmarks is not None else {}
        li = max(ro.li, rd.li)
        rows.append({"lift": i, "kind": lift.kind, "t_origin_s": o.time_s, "t_destination_s": d.time_s,
                     "H_origin_m": o.h_m, "V_origin_m": o.v_m, "A_origin_deg": o.a_deg,
                     "H_destination_m": d.h_m, "V_destination_m": d.v_m, "A_destination_deg": d.a_deg,
                     "D_m": lift.d_m, "RWL_origin_kg": ro.rwl, "LI_origin": ro.li,
                     "RWL_destination_kg": rd.rwl, "LI_destination": rd.li, "LI": li,
                     "acgih_zone": acg.get("zone", 0), "acgih_tlv_kg": acg.get("tlv_kg", np.nan),
                     "zone_risk": acg.get("risk", "")})
        typer.echo(f"{lift.kind} {i} ({o.time_s:.2f}-{d.time_s:.2f} s): origin H {o.h_m:.2f} m V {o.v_m:.2f} m "
                   f"A {o.a_deg:.0f} deg, destination H {d.h_m:.2f} m V {d.v_m:.2f} m A {d.a_deg:.0f} deg, "
                   f"D {lift.d_m:.2f} m")
        typer.echo(f"  RWL origin {ro.rwl:.1f} kg (LI {ro.li:.2f}), destination {rd.rwl:.1f} kg (LI {rd.li:.2f}); "
                   f"LI {li:.2f}: {li_category(li)}")
        if acg:
            tlv = "NKSL" if np.isnan(acg["tlv_kg"]) else f"{acg['tlv_kg']:.0f} kg"
            typer.echo(f"  ACGIH zone {acg['zone']} ({acg['vertical_zone']}, {acg['horizontal_zone']}): "
                       f"TLV {tlv}, risk (Snyder et al. 2021) {acg['risk'] or 'n/a'}")
        for w in caught:
            typer.echo(f"  warning: {w.message}")
    if output is not None:
        _write_csv(pd.DataFrame(rows).set_index("lift"), output, overwrite)
        typer.echo(f"-> {output}")


def register(app: typer.Typer) -> None:
    """Add the risk commands (`posture`, `niosh`) to the main app."""
    app.command("posture")(posture)
    app.command("niosh")(niosh)
