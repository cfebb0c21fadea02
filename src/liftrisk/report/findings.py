"""Plain-language findings of an assessment: the highest-risk moments, most severe first.

The compression limits quoted are those the assessment was rated against
(``summary["action_limit_n"]`` and ``summary["maximum_permissible_n"]``, read from
`liftrisk/data/kinetics/spinal_compression_limits.csv` by
`liftrisk.kinetics.spine.compression_limits_n`).
"""

from __future__ import annotations

import numpy as np

from liftrisk.kinematics.lift_events import hold_window_s
from liftrisk.kinetics.ground_reaction import off_balance_frames
from liftrisk.kinetics.strength import stand_in_note
from liftrisk.report.labels import number

__all__ = ["findings", "trunk_text"]


def _kind_word(kind) -> str:
    """'lift' / 'lower' of a lifts-table row as a word for a sentence."""
    return "lowering" if kind == "lower" else "lift"


def _limit_text(level: float) -> str:
    return f"{level:.0f} N"


def trunk_text(flexion_rad: float) -> str:
    """The trunk's sagittal angle in words, the sign turned into flexed / extended.

    Parameters
    ----------
    flexion_rad : float
        Trunk flexion, rad (negative = extension).

    Returns
    -------
    str

    Examples
    --------
    >>> trunk_text(np.radians(35)), trunk_text(np.radians(-9)), trunk_text(np.radians(0.2))
    ('trunk flexed 35°', 'trunk extended 9°', 'trunk upright')
    """
    deg = float(np.degrees(flexion_rad))
    if abs(deg) < 0.5:
        return "trunk upright"
    return f"trunk {'flexed' if deg > 0 else 'extended'} {abs(deg):.0f}°"


def _interval(a, quantity: str, nominal: float, fmt: str, unit: str) -> str:
    """`` (90 % interval lo-hi unit)`` of a peak, or "" when no bands are computed (``fmt`` a format
    spec, or ``"n"`` for forces rounded to 10 N as the summary cards show them)."""
    try:
        u = a.uncertainty
    except AttributeError:
        return ""
    if u is None:
        return ""
    lo, hi = u.interval(quantity, nominal)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return ""
    if fmt == "n":  # forces as the cards show them (to 10 N)
        return f" (90 % interval {number(lo, 'n')}-{number(hi, 'n')} {unit})"
    return f" (90 % interval {lo:{fmt}}-{hi:{fmt}} {unit})"


def findings(a, summary: dict | None = None) -> list[str]:
    """Sentences about the highest-risk moments of an assessment, most severe first.

    Parameters
    ----------
    a : liftrisk.pipeline.Assessment
    summary : dict, optional
        Headline figures (default ``a.summary``): peaks with their times, the compression
        limits (N), time above them (s), workload peak.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> from liftrisk.pipeline import assess_motion
    >>> a = assess_motion(demo_posture(30), Subject("male", 80, 1.78), 10.0)
    >>> findings(a)[0].startswith("Highest low-back compression")
    True
    """
    s = a.summary if summary is None else summary
    out = []
    c = s["peak_compression_n"]
    al, mpl = _limit_text(s["action_limit_n"]), _limit_text(s["maximum_permissible_n"])
    # "the lift" only where the peak falls while a load is in the hands; otherwise this movement
    what, when = "this movement", ""
    if a.lifts and s.get("box_kg", 0) and np.isfinite(s.get("peak_compression_time_s", np.nan)):
        t_pk = s["peak_compression_time_s"]
        rows = a.lifts_table().to_dict("records")
        holds = [hold_window_s(la.lift) for la in a.lifts]
        during = [k for k, (g, r) in enumerate(holds) if g <= t_pk <= r]
        if during:
            k = during[0]
            what, when = "the lift", f" during {_kind_word(rows[k].get('kind'))} {k + 1} (load in the hands)"
        else:
            later = [k for k, (g, _r) in enumerate(holds) if g > t_pk]
            what = "this bending movement"
            when = (f", with empty hands, before the grasp of {_kind_word(rows[later[0]].get('kind'))} {later[0] + 1}"
                    if later else ", with empty hands (no load held then)")
    if np.isfinite(c):
        if c > s["maximum_permissible_n"]:
            level = f"above the NIOSH maximum permissible limit ({mpl}): {what} should be redesigned"
        elif c > s["action_limit_n"]:
            level = f"above the NIOSH action limit ({al}): {what} puts some workers at risk of back injury"
        else:
            level = f"below the NIOSH action limit ({al})"
        band = _interval(a, "compression_n", c, "n", "N")
        out.append(f"Highest low-back compression: {number(c, 'n')} N{band} at {s['peak_compression_time_s']:.2f} s"
                   f"{when}, {level}.")
        if s["time_above_action_limit_s"] > 0:
            out.append(f"The compression stays above {al} for {s['time_above_action_limit_s']:.2f} s in total.")
    if np.isfinite(s["peak_l5s1_extension_moment_nm"]):
        m = s["peak_l5s1_extension_moment_nm"]
        out.append(f"Largest L5/S1 extension moment: {m:.0f} N·m"
                   f"{_interval(a, 'l5s1_extension_moment_nm', m, '.0f', 'N·m')} at "
                   f"{s['peak_l5s1_moment_time_s']:.2f} s.")
    if np.isfinite(s["peak_reba"]):
        i = int(np.argmin(np.abs(a.motion.time_s - s["peak_reba_time_s"])))
        tf = a.angles_rad["trunk_flexion"].iloc[i]
        trunk = f" with the {trunk_text(tf)}" if np.isfinite(tf) else ""
        out.append(f"Worst posture (REBA {s['peak_reba']:.0f}, {s['peak_reba_level']} risk) at "
                   f"{s['peak_reba_time_s']:.2f} s{trunk}; fuzzy REBA peaks at {s['peak_fuzzy_reba']:.1f}.")
    for la in a.lifts:
        o = la.lift.origin
        tlv = la.acgih.get("tlv_kg")
        tlv_txt = (f"; ACGIH zone {la.acgih.get('zone')} ({la.acgih.get('risk')} risk, TLV "
                   f"{tlv:.0f} kg)" if tlv is not None and np.isfinite(tlv) else
                   f"; ACGIH zone {la.acgih.get('zone')}: no lifting is recommended there")
        g, r = hold_window_s(la.lift)
        kind = "Lowering" if getattr(la.lift, "kind", "lift") == "lower" else "Lift"
        out.append(f"{kind} {la.index + 1} ({g:.2f}-{r:.2f} s, hands "
                   f"{o.h_m * 100:.0f} cm out and {o.v_m * 100:.0f} cm high at the grasp): NIOSH LI {la.li:.2f}, "
                   f"{la.li_category}{tlv_txt}.")
    if not a.lifts:
        out.append("No lift (grasp -> release with vertical travel) was detected, so NIOSH and ACGIH are not rated.")
    if "peak_workload_ratio" in s and np.isfinite(s["peak_workload_ratio"]):
        off_frames = off_balance_frames(a.lower, a.motion.rate_hz)
        off = (" (off-balance frames left out for hips, knees and ankles)"
               if off_frames is not None and off_frames.any() else "")
        joint = str(s["peak_workload_joint"])
        base = joint[2:] if joint[:2] in ("l_", "r_") else joint
        side = {"l_": "left ", "r_": "right "}.get(joint[:2], "")
        label = side + ("L5/S1" if base == "l5s1" else base.replace("_", " "))
        notes = dict.fromkeys(n for d in ("extension", "flexion") if (n := stand_in_note(a.subject, base, d)))
        base_label = "L5/S1" if base == "l5s1" else base
        stand_in = f" The {base_label} strength uses a stand-in: {'; '.join(notes)}." if notes else ""
        ratio = s["peak_workload_ratio"]
        if ratio > 1.0:  # no one exerts more than their maximum: a measurement problem, not a finding
            cause = ("with no load in the hands this torque comes from the motion alone, so the likely cause is "
                     "jitter or a jump in the 3D points (accelerations), " if not s.get("box_kg", 0) else
                     "the likely cause is jitter or a jump in the 3D points (accelerations), ")
            out.append(f"Implausible joint workload: the {label} torque reaches "
                       f"{100 * ratio:.0f}% of its estimated maximum strength{off}, more than anyone can exert; "
                       f"{cause}a wrong body mass or stature, or a strength estimate that does not fit this "
                       f"worker. It is not a finding: check the recording.{stand_in}")
        else:
            out.append(f"Highest joint workload: {label} at {100 * ratio:.0f}% of its estimated "
                       f"maximum strength{off}.{stand_in}")
    return out
